import ChronicleCodegen
import Foundation

/// How long the generator takes to check large schemas: checking must stay linear in the
/// schema's size (a 5 MB schema is checked in well under a second), in this process and as the
/// build plugin runs it, `chronicle generate` in a fresh process (when the `chronicle`
/// executable is built next to this one).
enum GeneratorBenchmarks {
    static func run() async throws {
        let chronicle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chronicle").path
        if FileManager.default.isExecutableFile(atPath: chronicle) {
            let folder = try Measure.folder("generator")
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let path = folder + "/Hotel.chronicle.yaml"
            try schema(bytes: 5_000_000, mistake: true).write(toFile: path, atomically: true, encoding: .utf8)
            var costs: [Measure.ChildCost] = []
            for _ in 0..<3 {
                costs.append(try await Measure.child(chronicle, ["generate", "--module", "Hotel", "--output", folder + "/out", path]))
            }
            // The schema has one mistake: the command must fail (exit 1), having reported it.
            guard costs.allSatisfy({ $0.status == 1 }) else { throw BenchmarkFailure("chronicle generate did not report the mistake") }
            let median = costs.sorted { $0.cpuSeconds < $1.cpuSeconds }[1]
            Measure.report("generator.cli.5MB-one-unknown-type.cpu", median.cpuSeconds * 1000, "ms")
            Measure.report("generator.cli.5MB-one-unknown-type.wall", median.seconds * 1000, "ms")
            Measure.report("generator.cli.5MB-one-unknown-type.peak-memory", median.peakMegabytes, "MB")
        } else {
            print("# generator.cli: skipped, build the chronicle executable first (swift build -c release --product chronicle)")
        }
        for megabytes in [1, 5] {
            let broken = schema(bytes: megabytes * 1_000_000, mistake: true)
            var diagnostics = 0
            let seconds = await Measure.median(runs: 3) {
                diagnostics = Generator(moduleName: "Hotel").generate([SchemaSource(path: "Hotel.chronicle.yaml", text: broken)]).diagnostics.count
            }
            guard diagnostics == 1 else { throw BenchmarkFailure("expected one diagnostic, got \(diagnostics)") }
            Measure.report("generator.check.\(megabytes)MB-one-unknown-type", seconds * 1000, "ms")
        }
        let valid = schema(bytes: 1_000_000, mistake: false)
        var files = 0
        let seconds = await Measure.median(runs: 3) {
            files = Generator(moduleName: "Hotel").generate([SchemaSource(path: "Hotel.chronicle.yaml", text: valid)]).files.count
        }
        guard files == 2 else { throw BenchmarkFailure("the valid schema did not generate") }
        Measure.report("generator.generate.1MB", seconds * 1000, "ms")
    }

    /// A schema of about `bytes` bytes: many aggregates with state, events, commands, and a view;
    /// with `mistake`, the first aggregate's state names an unknown type.
    static func schema(bytes: Int, mistake: Bool) -> String {
        var text = """
            chronicle: 1
            types:
              Money: { alias: Int }
              Kind: { enum: [single, double, suite] }
              Rate: { struct: { amount: Money, kind: Kind } }
            aggregates:

            """
        var index = 0
        while text.utf8.count < bytes {
            let money = mistake && index == 0 ? "Mony" : "Money"
            text += """
                  Room\(index):
                    doc: Room number \(index).
                    state:
                      rate: { type: \(money), default: 0 }
                      name: { type: String, default: "" }
                      kind: { type: Kind, default: single }
                      history: { type: "[Rate]", default: [] }
                    events:
                      Repriced: { fields: { rate: Money }, apply: { set: { rate: rate } } }
                      Renamed: { fields: { name: String }, apply: { set: { name: name } } }
                      Rated: { fields: { entry: Rate }, apply: { append: { history: entry } } }
                    commands:
                      Reprice: { fields: { rate: Money }, emits: [Repriced] }
                      Rename: { fields: { name: String }, emits: [Renamed] }

                """
            index += 1
        }
        text += """
            views:
              Rates:
                key: Room0
                fields: { rate: Money }
                on:
                  Room0.Repriced: { set: { rate: rate } }

            """
        return text
    }
}

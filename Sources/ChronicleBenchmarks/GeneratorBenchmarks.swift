import ChronicleCodegen

/// How long the generator takes to check large schemas: checking must stay linear in the
/// schema's size (a 5 MB schema is checked in well under a second).
enum GeneratorBenchmarks {
    static func run() async throws {
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

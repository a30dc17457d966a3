import Bank
import Chronicle
import Foundation

/// The benchmark suite (release builds): prints `name value unit` lines, to be read next to
/// `../shared/bench/peers/run` measured in the same run.
///
/// Usage: `swift run -c release ChronicleBenchmarks [GROUP...]`, groups: append, commands, views, large, responsiveness,
/// fresh, generator, upcast, observability, postgres (needs `CHRONICLE_POSTGRES_URL`), all. `ChronicleBenchmarks workload --store DIR --events N …` instead runs the
/// synthetic bank workload alone (see ``WorkloadCommand``).
@main
struct BenchmarkMain {
    static func main() async throws {
        if CommandLine.arguments.dropFirst().first == "workload" {
            await WorkloadCommand.mainWatchingParent(Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        let groups = Set(CommandLine.arguments.dropFirst())
        let all = groups.isEmpty || groups.contains("all")
        if all || groups.contains("append") { try await AppendBenchmarks.run() }
        if all || groups.contains("commands") { try await CommandBenchmarks.run() }
        if all || groups.contains("views") { try await ViewBenchmarks.run() }
        if all || groups.contains("large") { try await LargeLogBenchmarks.run() }
        if all || groups.contains("responsiveness") { try await ResponsivenessBenchmarks.run() }
        if all || groups.contains("fresh") { try await FreshProcessBenchmarks.run() }
        if all || groups.contains("generator") { try await GeneratorBenchmarks.run() }
        if all || groups.contains("upcast") { try await UpcastBenchmarks.run() }
        if all || groups.contains("observability") { try await ObservabilityBenchmarks.run() }
        if all || groups.contains("postgres") { try await PostgresBenchmarks.run() }
    }
}

import ArgumentParser

/// `chronicle`: inspect, verify and measure Chronicle stores.
@main
struct ChronicleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chronicle",
        abstract: "Inspect, verify and measure Chronicle event stores.",
        discussion: """
            Exit codes: 0 success; 1 failure (an error, or damage found by verify); \
            3 verify found only a torn tail (an unfinished write the next writer cuts off); \
            64 wrong usage.
            """,
        subcommands: [CatCommand.self, StatsCommand.self, VerifyCommand.self, BenchCommand.self]
    )
}

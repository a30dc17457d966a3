import ArgumentParser

/// `chronicle bench`: measure a store on this machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the flat-file store on this machine (build with -c release for real figures).",
        subcommands: [BenchAppendCommand.self]
    )
}

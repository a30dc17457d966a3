import ArgumentParser
import ChronicleTerminal

/// `chronicle`: generate code from schemas; inspect, verify and measure Chronicle stores.
///
/// The `chronicle` executable and the build plugin's tool both run this command.
public struct ChronicleCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "chronicle",
        abstract: "Generate code from Chronicle schemas; inspect, verify and measure Chronicle stores.",
        discussion: """
            Exit codes: 0 success; 1 failure (an error, or damage found by verify); \
            3 verify found only a torn tail (an unfinished write the next writer cuts off); \
            64 wrong usage; 74 the output could not be written (a full disk).
            """,
        subcommands: [GenerateCommand.self, LockCommand.self, CanReadCommand.self, DiagramCommand.self, CatCommand.self, StatsCommand.self, VerifyCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self]
    )

    public init() {}
}

import ArgumentParser
import Chronicle
import Foundation

/// `chronicle audit` and `bank audit`: the command audit log. The one subcommand both tools
/// share, so it lives with their shared helpers.
public struct AuditCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the command audit log: every command, accepted or not, with who, when, outcome and duration."
    )

    @Argument(help: "The store: its folder, or a postgres:// URL.") var store: String
    @Option(help: "Only commands from this date on (ISO 8601, or relative such as \"3 days ago\").") var since: String?
    @Flag(help: "Only commands that recorded nothing: rejected, conflicts, invalid, failed.") var rejected = false
    @Flag(help: "Print JSON Lines.") var json = false

    /// Creates the command, as argument parsing does.
    public init() {}

    public func run() async throws {
        var from: Date?
        if let since {
            guard let date = DateExpression.parse(since) else { throw ValidationError("--since: '\(since)' is not a date") }
            from = date
        }
        let entries = try await OpenedStore.auditEntries(of: store, since: from, rejectedOnly: rejected)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            try Output.write(try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined())
            return
        }
        var table = TextTable(columns: ["at", "command", "actor", "outcome", "positions", "µs", "reason"])
        for entry in entries {
            table.add([
                Output.timestamp(entry.at), entry.command, entry.actor ?? "-", entry.outcome.rawValue,
                entry.positions.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "-", "\(entry.durationMicroseconds)", entry.reason ?? "",
            ])
        }
        try Output.write(table.rendered)
    }
}

import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
import Foundation

struct AsOfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "as-of", abstract: "Show every account and the bank totals as they were at a date.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The date: ISO 8601, or relative such as \"3 days ago\".") var date: DateArgument

    struct Report: Encodable {
        var date: Date
        var position: Int64
        var accounts: [AccountReport]
        var totalBalance: String
    }

    func run() async throws {
        let session = try await options.openForReading()
        try await session.run { session in
            let position = try await session.store.lastPosition(atOrBefore: date.date)
            let views = try await session.queries.asOf(position)
            let report = Report(date: date.date, position: position, accounts: views.accountSummary.all.map(AccountReport.init),
                                totalBalance: Format.money(views.bankTotals.row.balance))
            if options.json {
                try Output.write(try Format.json(report))
            } else {
                try Output.write("as of \(Format.date(date.date)) (log position \(position)):\n")
                try Output.write(accountTable(views.accountSummary.all))
                try Output.write("total balance \(report.totalBalance)\n")
            }
        }
    }
}

struct RevertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revert",
        abstract: "Revert every event after a date: their inverses are appended, newest first, in one atomic batch.",
        discussion: "The history keeps both the events and their reversal. Use --dry-run first to see what would change."
    )
    @OptionGroup var options: StoreOptions
    @Option(help: "Revert the events recorded after this date.") var since: DateArgument
    @Option(help: "Why (recorded on every inverse).") var reason: String
    @Flag(help: "Show what would change; append nothing.") var dryRun = false

    func run() async throws {
        let session = try await options.open()
        try await session.run { session in
            let outcome: RevertOutcome
            do {
                outcome = try await session.app.revert(since: since.date, reason: reason, actor: options.actor, dryRun: dryRun)
            } catch let error as RevertError {
                throw BankError(error.description)
            }
            if options.json {
                try Output.write(try Format.json(RevertReport(outcome)))
            } else {
                try Output.write(describe(outcome))
            }
        }
    }
}

/// A revert as the CLI prints it.
struct RevertReport: Encodable {
    var dryRun: Bool
    var batchID: UUID
    var inverses: Int
    var cancelled: Int
    var positions: [Int64]?
    var aggregates: [AggregateDifference]
    var views: [ViewDifference]

    init(_ outcome: RevertOutcome) {
        dryRun = outcome.dryRun
        batchID = outcome.plan.batchID
        inverses = outcome.plan.steps.count
        cancelled = outcome.plan.cancelled.count
        positions = outcome.positions.map { [$0.lowerBound, $0.upperBound] }
        aggregates = outcome.plan.aggregates
        views = outcome.plan.views
    }
}

/// A readable account of a revert: what it undoes and how balances change.
func describe(_ outcome: RevertOutcome) -> String {
    var text = outcome.dryRun ? "dry run: nothing appended\n" : ""
    text += "\(outcome.plan.steps.count) inverse events"
    if !outcome.plan.cancelled.isEmpty { text += " (\(outcome.plan.cancelled.count) events left out: they and their reverts cancel)" }
    if let positions = outcome.positions { text += ", appended at positions \(positions.lowerBound)-\(positions.upperBound)" }
    text += "\n"
    var table = TextTable(columns: ["account", "owner", "balance now", "balance after", "status after"])
    for difference in outcome.plan.aggregates {
        guard let before = try? ChronicleJSON.decode(Account.State.self, from: Array(difference.before.utf8)),
              let after = try? ChronicleJSON.decode(Account.State.self, from: Array(difference.after.utf8)) else { continue }
        let id = String(difference.stream.name.dropFirst("Account-".count))
        table.add([id, after.owner.isEmpty ? "(not opened yet)" : after.owner, Format.money(before.balance), Format.money(after.balance), after.status.rawValue])
    }
    text += table.rendered
    for view in outcome.plan.views { text += "view \(view.view): \(view.rows.count) rows change\n" }
    return text
}

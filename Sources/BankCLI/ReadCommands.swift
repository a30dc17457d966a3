import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
import Foundation

/// An account as the read commands print it.
struct AccountReport: Encodable {
    var id: String
    var owner: String
    var balance: String
    var balanceCents: Money
    var status: String
    var transactions: Int

    init(_ row: AccountSummary.Row) {
        id = row.id.description
        owner = row.owner
        balance = Format.money(row.balance)
        balanceCents = row.balance
        status = row.status.rawValue
        transactions = row.transactions
    }
}

func accountTable(_ rows: [AccountSummary.Row]) -> String {
    var table = TextTable(columns: ["account", "owner", "balance", "status", "transactions"])
    for row in rows { table.add([row.id.description, row.owner, Format.money(row.balance), row.status.rawValue, String(row.transactions)]) }
    return table.rendered
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show an account's summary (from the views).")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID

    func run() async throws {
        let session = try await options.openForReading(summaryOnly: true)
        try await session.run { session in
            guard let row = session.accountSummary.row(account) else { throw BankError("no account \(account)") }
            try Output.write(options.json ? try Format.json(AccountReport(row)) : accountTable([row]))
        }
    }
}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List accounts, all or one owner's (from the views).")
    @OptionGroup var options: StoreOptions
    @Option(help: "Only this owner's accounts.") var owner: String?

    func run() async throws {
        let session = try await options.openForReading(summaryOnly: true)
        try await session.run { session in
            let summary = session.accountSummary
            let rows = owner.map { summary.rows(owner: $0) } ?? summary.all
            try Output.write(options.json ? try Format.json(rows.map(AccountReport.init)) : accountTable(rows))
        }
    }
}

/// One event of an account's history, with its metadata.
struct HistoryLine: Encodable {
    var position: Int64
    var version: Int64
    var recordedAt: Date
    var type: String
    var details: String
    var actor: String?
    var command: UUID?
    var correlation: UUID?
    var reverts: String?
}

func historyLines(_ events: [RecordedEvent]) throws -> [HistoryLine] {
    try events.map { recorded in
        let event = try Account.Event.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload)
        let details: String
        switch event {
        case .opened(let e)?: details = "owner \(e.owner)"
        case .deposited(let e)?: details = "+\(Format.money(e.amount))"
        case .withdrawn(let e)?: details = "-\(Format.money(e.amount))"
        case .renamed(let e)?: details = "owner \(e.previous?.owner ?? "?") → \(e.owner)"
        case .closed?: details = "closed"
        case .openedReverted?: details = "undoes the opening"
        case .renamedReverted(let e)?: details = "owner back to \(e.original.previous?.owner ?? "?")"
        case .closedReverted?: details = "reopened"
        case .messageSent(let e)?: details = "\(e.channel) message: \(e.message)"
        case nil: details = "(not an account event)"
        }
        return HistoryLine(
            position: recorded.position, version: recorded.streamVersion, recordedAt: recorded.recordedAt, type: recorded.type, details: details,
            actor: recorded.actor, command: recorded.causationID, correlation: recorded.correlationID, reverts: recorded.metadata["chronicle.reverts"])
    }
}

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an account's events with their metadata (from the event log).")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The account's id.") var account: Account.ID

    func run() async throws {
        let opened = try await options.openStoreForReading()
        let events: [RecordedEvent]
        do {
            events = try await opened.store.readStream(Account.State.stream(for: account), from: 1, direction: .forward, limit: .max)
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
        guard !events.isEmpty else { throw BankError("no account \(account)") }
        let lines = try historyLines(events)
        if options.json {
            try Output.write(try Format.json(lines))
            return
        }
        var table = TextTable(columns: ["position", "version", "recorded at", "event", "details", "actor", "command"])
        for line in lines {
            table.add([String(line.position), String(line.version), Format.date(line.recordedAt), line.type, line.details, line.actor ?? "-",
                       line.command.map { String($0.uuidString.prefix(8)) } ?? "-"])
        }
        try Output.write(table.rendered)
    }
}

struct RebuildViewsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild-views", abstract: "Rebuild views from the event log, from zero: all, or the ones named.")
    @OptionGroup var options: StoreOptions
    @Option(name: .customLong("view"), help: "A view to rebuild (repeat for several): AccountSummary, AccountHistory, BankTotals.") var views: [String] = []

    func run() async throws {
        let opened = try await options.openStoreForReading()
        do {
            try await rebuild(on: opened)
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
    }

    private func rebuild(on opened: OpenedStore) async throws {
        let queries = try BankQueries(store: opened.store, folder: options.viewsFolder, options: options.viewOptions(opened))
        let known = Set(queries.views.viewPositions.map(\.name))
        if let unknown = views.first(where: { !known.contains($0) }) {
            throw BankError("no view named \(unknown); the views are \(known.sorted().joined(separator: ", "))")
        }
        let bar = ProgressBar(title: "rebuild")
        let started = ContinuousClock.now
        try await queries.views.rebuild(views.isEmpty ? nil : Set(views)) { bar.update($0, of: $1) }
        bar.finish()
        let seconds = started.duration(to: .now)
        let position = queries.views.position
        if options.json {
            try Output.write(try Format.json(["position": position, "accounts": Int64(queries.accountSummary.count)]))
        } else {
            try Output.write("rebuilt \(views.isEmpty ? queries.views.viewPositions.count : views.count) views from \(position) events in \(seconds.formatted(.units(allowed: [.seconds, .milliseconds])))\n")
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Show the command audit log.")
    @OptionGroup var options: StoreOptions
    @Option(help: "Only commands from this date on.") var since: DateArgument?
    @Flag(help: "Only commands that recorded nothing.") var rejected = false

    func run() async throws {
        let entries = try await OpenedStore.auditEntries(of: options.store, since: since?.date, rejectedOnly: rejected)
        if options.json {
            try Output.write(try Format.json(entries))
            return
        }
        var table = TextTable(columns: ["at", "command", "actor", "outcome", "positions", "reason"])
        for entry in entries {
            table.add([Format.date(entry.at), entry.command, entry.actor ?? "-", entry.outcome.rawValue,
                       entry.positions.map { "\($0.lowerBound)-\($0.upperBound)" } ?? "-", entry.reason.map(Refusal.words) ?? ""])
        }
        try Output.write(table.rendered)
    }
}

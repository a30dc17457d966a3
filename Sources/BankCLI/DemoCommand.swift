import ArgumentParser
import Bank
import Chronicle
import ChroniclePostgres
import ChronicleTerminal
import Foundation

/// `bank demo`: the story of the README, end to end, with checks.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tell the bank's story on a fresh store: ten days of banking, a bug, time travel, a revert, a backup.",
        discussion: "Exits 0 when every check passes, 1 otherwise."
    )

    @Option(help: "The new store: a folder (default: a fresh folder under the system's temporary folder), or the postgres:// URL of an empty schema.")
    var store: String?

    @Flag(help: "Print less: only the sections' titles and the checks.")
    var quiet = false

    @Option(help: "Also write the story as a self-contained HTML page to this file: the total balance over the ten days as a chart, the bug and the revert marked, the accounts before and after.")
    var report: String?

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("bank-demo-\(UUID().uuidString.prefix(8))").path
        let folder = store ?? scratch
        // A PostgreSQL store keeps its views in its database too.
        let viewsFolder: String? = OpenedStore.isPostgres(folder) ? nil : folder + "-views"
        if !OpenedStore.isPostgres(folder), FileManager.default.fileExists(atPath: folder),
           !((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).isEmpty {
            throw BankError("\(folder) is not empty; the demo needs a fresh folder")
        }
        var story = Story(folder: folder, viewsFolder: viewsFolder, quiet: quiet, reportPath: report)
        try await story.tell()
        guard story.failures == 0 else { throw BankError("\(story.failures) checks failed") }
    }
}

/// The demo's story, section by section.
struct Story {
    /// The store: a folder, or a PostgreSQL URL.
    let folder: String
    /// The views' folder; `nil` for a PostgreSQL store, which keeps them in its tables.
    let viewsFolder: String?
    let quiet: Bool
    /// Where to write the HTML report, if anywhere.
    var reportPath: String?
    var report = DemoReport()
    var failures = 0
    var checks = 0

    mutating func tell() async throws {
        // Ten simulated days, ending now: the clock moves only when the story says so.
        let day: TimeInterval = 86_400
        let clock = ManualWallClock(Date().addingTimeInterval(-10 * day))
        let opened = try await OpenedStore.open(folder, clock: clock)
        let store = opened.store
        guard try await store.lastPosition() == 0 else {
            await opened.close()
            throw BankError("\(opened.name) is not empty; the demo needs a fresh store")
        }
        let app = try await BankApp.open(
            store: store, viewsFolder: viewsFolder, rules: BankRulebook(), projection: .inline,
            snapshots: opened.snapshots, audit: opened.audit, options: CommandProcessorOptions(clock: clock),
            viewOptions: ViewStoreOptions(storage: opened.postgres.map { PostgresViewStorage(store: $0) }))
        section("Chronicle bank demo")
        say("event log: \(opened.name)")
        say("views:     \(viewsFolder ?? "in the database, a table per view")")

        // Days 1 to 7: ordinary banking.
        section("Days 1-7: accounts, deposits, withdrawals, transfers")
        let owners = ["Ada", "Grace", "Linus", "Margaret", "Alan"]
        var accounts: [Account.ID] = []
        let teller = CommandContext(actor: "teller")
        for owner in owners {
            let id = Account.ID.make()
            try await app.commands.open(account: id, owner: owner, context: teller)
            try await app.commands.deposit(account: id, amount: 100_000, context: teller)
            accounts.append(id)
        }
        var random = DemoRandom(seed: 42)
        for dayNumber in 1...7 {
            clock.advance(by: day)
            if dayNumber == 5 {
                // Irreversible: a revert reaching back to here would be refused.
                try await app.commands.notify(account: accounts[1], message: "Welcome to the bank", channel: .email, context: teller)
            }
            for _ in 0..<12 {
                clock.advance(by: Double(random.next(3_000)))
                let a = accounts[random.next(accounts.count)], b = accounts[random.next(accounts.count)]
                switch random.next(3) {
                case 0: _ = try? await app.commands.deposit(account: a, amount: random.next(20_000) + 100, context: CommandContext(actor: "atm"))
                case 1: _ = try? await app.commands.withdraw(account: a, amount: random.next(10_000) + 100, context: CommandContext(actor: "atm"))
                default: if a != b { _ = try? await app.commands.transfer(from: a, to: b, amount: random.next(15_000) + 100, context: CommandContext(actor: "online")) }
                }
            }
        }
        try await app.commands.rename(account: accounts[4], owner: "Alan M. Turing", context: teller)
        let threeDaysAgo = clock.now()
        say("\(try await store.lastPosition()) events so far")
        showAccounts(app.queries.accountSummary, totals: app.queries.bankTotals)

        // Days 8 to 10: a faulty interest job posts 100 times the right amounts, among ordinary traffic.
        section("Days 8-10: a bug posts wrong amounts")
        let bug = CommandContext(actor: "interest-job v2.3 (buggy)")
        for _ in 8...10 {
            clock.advance(by: day)
            for id in accounts {
                let balance = app.queries.accountSummary.row(id)?.balance ?? 0
                try await app.commands.deposit(account: id, amount: max(1, balance / 100) * 100, context: bug)
            }
            clock.advance(by: 3_600)
            _ = try? await app.commands.transfer(from: accounts[0], to: accounts[1], amount: 5_000, context: CommandContext(actor: "online"))
        }
        say("the interest job ran three times; balances are far too high:")
        showAccounts(app.queries.accountSummary, totals: app.queries.bankTotals)

        section("One account's history, with metadata")
        let history = try await store.readStream(Account.State.stream(for: accounts[0]), from: .max, direction: .backward, limit: 8)
        var table = TextTable(columns: ["position", "recorded at", "event", "details", "actor"])
        for line in try historyLines(history.reversed()) {
            table.add([String(line.position), Format.date(line.recordedAt), line.type, line.details, line.actor ?? "-"])
        }
        say(table.rendered, raw: true)

        section("The state as of three days ago")
        let position = try await store.lastPosition(atOrBefore: threeDaysAgo)
        let asOf = try await app.queries.asOf(position)
        var statesAsOf: [Account.ID: Account.State] = [:]
        for id in accounts { statesAsOf[id] = try await app.commands.processor.state(Account.State.self, id: id, asOf: position).state }
        say("log position \(position) was the last event before \(Format.date(threeDaysAgo))")
        showAccounts(asOf.accountSummary, totals: asOf.bankTotals)

        section("Revert the last three days: dry run")
        let beforeRevert = try await store.lastPosition()
        let dryRun = try await app.revert(since: threeDaysAgo, reason: "interest job bug", actor: "operations", dryRun: true)
        say(describe(dryRun), raw: true)
        check("the dry run appended nothing", try await store.lastPosition() == beforeRevert)
        do {
            _ = try await app.revert(since: threeDaysAgo.addingTimeInterval(-4 * day), reason: "too far", dryRun: true)
            check("a revert reaching back across the irreversible notification is refused", false)
        } catch let error as RevertError {
            say("reaching back five more days is refused: \(error)")
            check("a revert reaching back across the irreversible notification is refused", true)
        }

        section("Revert for real")
        var balancesBefore: [Account.ID: Money] = [:]
        for id in accounts { balancesBefore[id] = app.queries.accountSummary.row(id)?.balance ?? 0 }
        let reverted = try await app.revert(since: threeDaysAgo, reason: "interest job bug", actor: "operations")
        say(describe(reverted), raw: true)
        check("the revert appended one batch of \(reverted.plan.steps.count) inverses", reverted.positions?.count == reverted.plan.steps.count && beforeRevert < (reverted.positions?.lowerBound ?? 0))
        for id in accounts {
            let now = try await app.commands.processor.load(Account.State.self, id: id).state
            check("\(now.owner): the account equals its state of three days ago", now == statesAsOf[id])
        }
        check("the account summaries equal the views of three days ago", app.queries.accountSummary == asOf.accountSummary)
        check("the account histories equal the views of three days ago", app.queries.accountHistory == asOf.accountHistory)
        check("the bank totals equal the totals of three days ago", app.queries.bankTotals == asOf.bankTotals)
        check("the history keeps the bug and its reversal", try await store.lastPosition() == (reverted.positions?.upperBound ?? 0))
        showAccounts(app.queries.accountSummary, totals: app.queries.bankTotals)
        if reportPath != nil {
            report.points = try await DemoReport.points(of: store)
            report.revertedEvents = reverted.plan.steps.count
            report.revertReason = reverted.plan.reason
            report.accounts = accounts.map { id in
                let row = app.queries.accountSummary.row(id)
                return DemoReport.AccountLine(owner: row?.owner ?? id.description, before: balancesBefore[id] ?? 0, after: row?.balance ?? 0)
            }
            check("the report's last point is the bank's total balance now", report.points.last?.balance == app.queries.bankTotals.row.balance)
        }

        section("Backup, and views rebuilt from zero")
        try await app.close()
        await opened.close()
        let reopened: OpenedStore
        if opened.postgres != nil {
            // PostgreSQL backs up its own databases: pg_basebackup, WAL archiving, point-in-time recovery.
            say("a PostgreSQL store is backed up by PostgreSQL itself (pg_basebackup and point-in-time recovery; see the PostgreSQL article)")
            reopened = try await OpenedStore.open(folder, readOnly: true)
            check("the reopened log holds every event", try await reopened.store.lastPosition() == (reverted.positions?.upperBound ?? -1))
        } else {
            let backup = folder + "-backup"
            let report = try StoreBackup.backup(storeAt: folder, to: backup)
            say("backed up \(report.lastPosition) events to \(backup)")
            check("the backup verifies", try LogVerifier.verify(storeAt: backup).isIntact)
            reopened = try await OpenedStore.open(backup, readOnly: true)
        }
        let rebuilt = try BankQueries(store: reopened.store, folder: nil)
        try await rebuilt.views.rebuild()
        await reopened.close()
        check("views rebuilt from \(opened.postgres != nil ? "the log" : "the backup") equal the live views", rebuilt.accountSummary == app.queries.accountSummary
              && rebuilt.accountHistory == app.queries.accountHistory && rebuilt.bankTotals == app.queries.bankTotals)

        if let reportPath {
            section("Report")
            do {
                try report.html().write(toFile: reportPath, atomically: true, encoding: .utf8)
                say("wrote \(reportPath): \(report.points.count) events on the chart")
            } catch {
                throw BankError("cannot write the report to \(reportPath): \(error.localizedDescription)")
            }
        }

        section("Result")
        try Output.write("\(checks - failures) passed, \(failures) failed\n")
        let shown = opened.postgres != nil ? "'\(opened.name)'" : folder
        say("explore it: bank list --store \(shown); bank history --store \(shown) \(accounts[0]); bank audit --store \(opened.postgres != nil ? "'\(opened.name)'" : folder)")
    }

    // The story's lines are best effort; the result line below reports an output that failed.
    func section(_ title: String) {
        try? Output.write("\n== \(title)\n")
    }

    func say(_ text: String, raw: Bool = false) {
        guard !quiet else { return }
        try? Output.write(text + (raw ? "" : "\n"))
    }

    func showAccounts(_ summary: AccountSummary, totals: BankTotals) {
        say(accountTable(summary.all), raw: true)
        say("total balance \(Format.money(totals.row.balance)) in \(totals.row.openAccounts) open accounts")
    }

    mutating func check(_ what: String, _ passed: Bool) {
        checks += 1
        if !passed { failures += 1 }
        try? Output.write("\(passed ? "✔" : "✘") \(what)\n")
    }
}

/// A small seeded generator, so that every run tells the same story.
struct DemoRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed | 1 }
    mutating func next(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(max(1, bound)))
    }
}

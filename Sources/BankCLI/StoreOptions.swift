import ArgumentParser
import Bank
import Chronicle
import ChroniclePostgres
import ChronicleTerminal
import Foundation

/// Says on standard error what went wrong beside the command without failing it (a view file
/// rebuilt, views not saved on a full disk, a snapshot ignored).
@Sendable func warn(_ message: String) {
    Output.error("bank: warning: \(message)\n")
}

/// The options every subcommand shares: where the store and its views are, and how to print.
struct StoreOptions: ParsableArguments {
    @Option(help: "The event store: its folder (created on first use), or a postgres:// URL.")
    var store: String = "bank-store"

    @Option(help: "The views' folder (default: STORE-views; for a PostgreSQL store, the views are kept in its database unless this is given).")
    var views: String?

    @Option(help: "Who is acting, recorded on every event.")
    var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "bank"

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    /// The views' folder: given, or beside the store's folder; `nil` for a PostgreSQL store
    /// without `--views`, whose views are kept in its database.
    var viewsFolder: String? {
        if let views { return views }
        if OpenedStore.isPostgres(store) { return nil }
        var store = store
        while store.count > 1, store.hasSuffix("/") { store.removeLast() }
        return store + "-views"
    }

    /// How the views are kept: in the folder, or in the PostgreSQL store's tables.
    func viewOptions(_ opened: OpenedStore, persistEvery: Int = 50_000, persistInterval: Duration = .seconds(5)) -> ViewStoreOptions {
        var options = ViewStoreOptions(persistEvery: persistEvery, persistInterval: persistInterval, onWarning: warn)
        if let postgres = opened.postgres, views == nil { options.storage = PostgresViewStorage(store: postgres) }
        return options
    }

    var context: CommandContext { CommandContext(actor: actor) }

    /// Opens the bank: commands, and every view brought up to date inline.
    func open(projection: ProjectionMode = .inline, clock: any WallClock = SystemWallClock()) async throws -> BankSession {
        let opened = try await OpenedStore.open(store, clock: clock)
        do {
            let app = try await BankApp.open(
                store: opened.store, viewsFolder: viewsFolder, rules: BankRulebook(), projection: projection,
                snapshots: opened.snapshots, audit: opened.audit,
                options: CommandProcessorOptions(clock: clock, onWarning: warn), viewOptions: viewOptions(opened))
            return BankSession(opened: opened, app: app, summary: nil)
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Opens the bank for a command that prints only account summaries: the commands, and the
    /// `AccountSummary` view alone, served by a read side of its own. The other views (the
    /// account histories grow with every event) are neither loaded nor changed here; they catch
    /// up from their own positions when a command that shows them runs.
    func openForCommands() async throws -> BankSession {
        let opened = try await OpenedStore.open(store)
        do {
            let app = try await BankApp.open(
                store: opened.store, viewsFolder: nil, rules: BankRulebook(), projection: .none,
                snapshots: opened.snapshots, audit: opened.audit,
                options: CommandProcessorOptions(onWarning: warn))
            return BankSession(opened: opened, app: app, summary: try SummaryView(store: opened.store, folder: viewsFolder, options: viewOptions(opened)))
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Opens the bank to read only: views catch up from a read-only store; `summaryOnly` serves
    /// the `AccountSummary` view alone (see ``openForCommands()``).
    func openForReading(summaryOnly: Bool = false) async throws -> BankSession {
        let opened = try await OpenedStore.open(store, readOnly: true)
        do {
            let app = try await BankApp.open(store: opened.store, viewsFolder: summaryOnly ? nil : viewsFolder, rules: BankRulebook(), projection: .none,
                                             viewOptions: viewOptions(opened))
            let summary = summaryOnly ? try SummaryView(store: opened.store, folder: viewsFolder, options: viewOptions(opened)) : nil
            let session = BankSession(opened: opened, app: app, summary: summary)
            try await session.catchUpViews()
            return session
        } catch {
            await opened.close()
            throw error
        }
    }

    /// Opens the store alone, to read its log.
    func openStoreForReading() async throws -> OpenedStore {
        try await OpenedStore.open(store, readOnly: true)
    }
}

/// The `AccountSummary` view on a read side of its own, for commands that show nothing else.
struct SummaryView {
    let host: ViewHost<AccountSummary>
    let views: ViewStore<BankEvent>

    init(store: any EventStore, folder: String?, options: ViewStoreOptions) throws {
        host = ViewHost<AccountSummary>(folder: folder)
        views = try ViewStore(store: store, folder: folder, hosts: [host], options: options)
    }
}

/// An open bank; close it to persist views and release the store.
struct BankSession {
    let opened: OpenedStore
    let app: BankApp
    /// The summary's own read side, when the session serves that view alone.
    let summary: SummaryView?

    var store: any EventStore { opened.store }
    var commands: BankCommands { app.commands }
    var queries: BankQueries { app.queries }

    /// The accounts' summaries, from whichever read side the session serves.
    var accountSummary: AccountSummary { summary?.host.current ?? app.queries.accountSummary }

    /// Brings the session's views up to the log's end.
    func catchUpViews() async throws {
        if let summary { try await summary.views.catchUp() } else { try await app.queries.views.catchUp() }
    }

    func close() async {
        // A view that stopped keeps its last good state; say so rather than show it silently.
        for failure in app.queries.views.failures + (summary?.views.failures ?? []) {
            warn("\(failure)")
        }
        do {
            try await app.close()
            try await summary?.views.close()
        } catch {
            // Views are a head start for the next process, rebuilt from the log when missing.
            warn("views could not be saved: \(error)")
        }
        await opened.close()
    }

    /// Runs `body`, closing the session however it ends.
    func run<T>(_ body: (BankSession) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }
}

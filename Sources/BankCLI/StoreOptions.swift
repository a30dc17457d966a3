import ArgumentParser
import Bank
import Chronicle
import ChronicleCommands
import Foundation

/// Says on standard error what went wrong beside the command without failing it (a view file
/// rebuilt, views not saved on a full disk, a snapshot ignored).
@Sendable func warn(_ message: String) {
    Output.error("bank: warning: \(message)\n")
}

/// The options every subcommand shares: where the store and its views are, and how to print.
struct StoreOptions: ParsableArguments {
    @Option(help: "The event store's folder (created on first use).")
    var store: String = "bank-store"

    @Option(help: "The views' folder (default: STORE-views).")
    var views: String?

    @Option(help: "Who is acting, recorded on every event.")
    var actor: String = ProcessInfo.processInfo.environment["USER"] ?? "bank"

    @Flag(help: "Print JSON instead of tables.")
    var json = false

    var viewsFolder: String {
        if let views { return views }
        var store = store
        while store.count > 1, store.hasSuffix("/") { store.removeLast() }
        return store + "-views"
    }

    var context: CommandContext { CommandContext(actor: actor) }

    /// Opens the bank: commands, and views brought up to date inline.
    func open(projection: ProjectionMode = .inline, clock: any WallClock = SystemWallClock()) async throws -> BankSession {
        let store = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(clock: clock))
        do {
            let app = try await BankApp.open(
                store: store, viewsFolder: viewsFolder, rules: BankRulebook(), projection: projection,
                snapshots: FlatFileSnapshotStore(store: store), audit: try AuditLog(store: store),
                options: CommandProcessorOptions(clock: clock, onWarning: warn), viewOptions: ViewStoreOptions(onWarning: warn))
            return BankSession(store: store, app: app)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Opens the bank to read only: views catch up from a read-only store.
    func openForReading() async throws -> BankSession {
        let store = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        let app = try await BankApp.open(store: store, viewsFolder: viewsFolder, rules: BankRulebook(), projection: .none,
                                         viewOptions: ViewStoreOptions(onWarning: warn))
        try await app.queries.views.catchUp()
        return BankSession(store: store, app: app)
    }
}

/// An open bank; close it to persist views and release the store.
struct BankSession {
    let store: FlatFileEventStore
    let app: BankApp

    var commands: BankCommands { app.commands }
    var queries: BankQueries { app.queries }

    func close() async {
        // A view that stopped keeps its last good state; say so rather than show it silently.
        for failure in app.queries.views.failures {
            warn("\(failure)")
        }
        do {
            try await app.close()
        } catch {
            // Views are a head start for the next process, rebuilt from the log when missing.
            warn("views could not be saved: \(error)")
        }
        await store.close()
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

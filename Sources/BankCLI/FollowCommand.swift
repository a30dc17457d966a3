import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
import Foundation

/// `bank follow`: a read side in a process of its own, following a store another process writes.
struct FollowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Keep the views up to date with a store another process writes, until a position (or forever).",
        discussion: "Prints `POSITION` each time the views persist, and the bank totals as JSON when it stops.",
        shouldDisplay: false
    )

    @OptionGroup var options: StoreOptions
    @Option(help: "Stop once the views reflect this position.") var until: Int64?
    @Option(help: "Persist the views after this many events.") var persistEvery = 50_000

    func run() async throws {
        let opened = try await options.openStoreForReading()
        do {
            try await follow(opened)
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
    }

    private func follow(_ opened: OpenedStore) async throws {
        let queries = try BankQueries(store: opened.store, folder: options.viewsFolder,
                                      options: options.viewOptions(opened, persistEvery: persistEvery, persistInterval: .milliseconds(200)))
        queries.views.startFollowing()
        if let until {
            while queries.views.position < until {
                try await queries.views.wait(for: until, timeout: .seconds(60))
            }
        } else {
            while true { try await Task.sleep(for: .seconds(3_600)) }
        }
        try await queries.views.close()
        let totals = queries.bankTotals.row
        try Output.write(try Format.json(["position": queries.views.position, "accounts": Int64(totals.accounts), "balance": Int64(totals.balance)]))
    }
}

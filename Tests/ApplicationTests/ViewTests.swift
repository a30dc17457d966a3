import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

@Suite("Read side: views")
struct ViewTests {
    static func openApp(_ folder: TemporaryFolder, clock: ManualWallClock, projection: ProjectionMode = .inline) async throws -> (FlatFileEventStore, BankApp) {
        let store = try FlatFileEventStore(path: folder.sub("store"), options: FlatFileStoreOptions(segmentSize: 256 << 10, clock: clock))
        let app = try await BankApp.open(store: store, viewsFolder: folder.sub("views"), rules: BankRulebook(), projection: projection)
        return (store, app)
    }

    /// Random valid bank traffic through the application's commands.
    static func traffic(_ app: BankApp, clock: ManualWallClock, steps: Int, seed: UInt64) async throws -> [Account.ID] {
        var random = SeededRandom(seed: seed)
        var accounts: [Account.ID] = []
        for step in 0..<steps {
            clock.advance(by: 3_600)
            if accounts.isEmpty || random.next(upperBound: 10) == 0 {
                let id = Account.ID.make()
                try await app.commands.open(account: id, owner: ["Ada", "Bob", "Cy"][random.next(upperBound: 3)])
                accounts.append(id)
                continue
            }
            let id = accounts[random.next(upperBound: accounts.count)]
            switch random.next(upperBound: 6) {
            case 0, 1: _ = try? await app.commands.deposit(account: id, amount: random.next(upperBound: 900) + 100)
            case 2: _ = try? await app.commands.withdraw(account: id, amount: random.next(upperBound: 500) + 1)
            case 3: try await app.commands.rename(account: id, owner: ["Ada", "Bob", "Cy", "Di"][random.next(upperBound: 4)])
            case 4: _ = try? await app.commands.transfer(from: id, to: accounts[random.next(upperBound: accounts.count)], amount: random.next(upperBound: 300) + 1)
            default: if step % 7 == 0 { _ = try? await app.commands.close(account: id) }
            }
        }
        return accounts
    }

    @Test("after random histories every view equals a rebuild from zero", arguments: [11, 12, 13])
    func viewsEqualARebuild(seed: UInt64) async throws {
        let folder = try TemporaryFolder()
        let clock = ManualWallClock()
        let (store, app) = try await Self.openApp(folder, clock: clock)
        let accounts = try await Self.traffic(app, clock: clock, steps: 200, seed: seed)
        // Inline projection: the views already reflect every command.
        #expect(app.queries.views.position == (try await store.lastPosition()))
        let fresh = try BankQueries(store: store, folder: nil)
        try await fresh.views.catchUp()
        #expect(app.queries.accountSummary == fresh.accountSummary)
        #expect(app.queries.accountHistory == fresh.accountHistory)
        #expect(app.queries.bankTotals == fresh.bankTotals)
        // The queries agree with the aggregates.
        for id in accounts {
            let state = try await app.commands.processor.load(Account.State.self, id: id).state
            #expect(app.queries.accountSummary.row(id)?.balance == state.balance)
            #expect(app.queries.accountSummary.row(id)?.owner == state.owner)
        }
        let byOwner = app.queries.accountSummary.rows(owner: "Ada")
        #expect(byOwner.allSatisfy { $0.owner == "Ada" })
        #expect(byOwner.count == app.queries.accountSummary.all.filter { $0.owner == "Ada" }.count)
        #expect(app.queries.bankTotals.row.balance == app.queries.accountSummary.all.reduce(0) { $0 + $1.balance })
        try await app.close()
        await store.close()
    }

    @Test func viewsPersistAndCatchUpFromTheirPositionOnStart() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualWallClock()
        var (store, app) = try await Self.openApp(folder, clock: clock)
        _ = try await Self.traffic(app, clock: clock, steps: 60, seed: 3)
        try await app.close()
        let persistedAt = app.queries.views.position
        // More events while no read side runs.
        let writer = BankCommands(processor: CommandProcessor(store: store), rules: BankRulebook())
        let id = Account.ID.make()
        try await writer.open(account: id, owner: "Late")
        await store.close()
        (store, app) = try await Self.openApp(folder, clock: clock)
        #expect(app.queries.views.position == persistedAt + 1)
        #expect(app.queries.accountSummary.row(id)?.owner == "Late")
        let fresh = try BankQueries(store: store, folder: nil)
        try await fresh.views.catchUp()
        #expect(app.queries.accountSummary == fresh.accountSummary)
        try await app.close()
        await store.close()
    }

    @Test func aDamagedOrOutdatedViewFileIsRebuilt() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualWallClock()
        var (store, app) = try await Self.openApp(folder, clock: clock)
        _ = try await Self.traffic(app, clock: clock, steps: 40, seed: 5)
        try await app.close()
        let expected = app.queries.accountSummary
        await store.close()
        // A torn write of the summary (what a crash while persisting could leave if it were not
        // atomic), a leftover temporary file, and a history view from another definition.
        let summary = folder.sub("views/AccountSummary.view")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: summary)))
        bytes.removeLast(bytes.count / 2)
        try Data(bytes).write(to: URL(fileURLWithPath: summary))
        try Data("chronicle-view 1 0000".utf8).write(to: URL(fileURLWithPath: summary + ".tmp"))
        let history = folder.sub("views/AccountHistory.view")
        let text = try String(contentsOfFile: history, encoding: .utf8)
        try text.replacingOccurrences(of: AccountHistory.fingerprint, with: "ffffffffffffffff").write(toFile: history, atomically: true, encoding: .utf8)
        (store, app) = try await Self.openApp(folder, clock: clock)
        #expect(app.queries.accountSummary == expected)
        #expect(app.queries.views.position == (try await store.lastPosition()))
        try await app.close()
        await store.close()
    }

    @Test(.timeLimit(.minutes(10))) func waitingForAPositionTimesOutCleanly() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualWallClock()
        let (store, app) = try await Self.openApp(folder, clock: clock, projection: .background)
        let id = Account.ID.make()
        let outcome = try await app.commands.open(account: id, owner: "Ada")
        let summary = try await app.queries.accountSummary(waitingFor: outcome.lastPosition)
        #expect(summary.row(id)?.owner == "Ada")
        // The wait ends at its timeout, not never (the suite's time limit guards against a hang;
        // how late a timeout fires is measured in the benchmarks, not here).
        let error = await #expect(throws: ViewStoreError.self) {
            try await app.queries.views.wait(for: 99, timeout: .milliseconds(200))
        }
        if case .timeout(waitingFor: 99, reached: 1)? = error {} else {
            Issue.record("expected a timeout at position 1 waiting for 99, got \(String(describing: error))")
        }
        try await app.close()
        await store.close()
    }

    @Test func aBackgroundProjectorFollowsConcurrentCommands() async throws {
        let folder = try TemporaryFolder()
        let clock = ManualWallClock()
        let (store, app) = try await Self.openApp(folder, clock: clock, projection: .background)
        let ids = (0..<8).map { _ in Account.ID.make() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in ids {
                group.addTask {
                    try await app.commands.open(account: id, owner: "Owner")
                    for _ in 0..<20 { try await app.commands.deposit(account: id, amount: 5) }
                }
            }
            try await group.waitForAll()
        }
        let last = try await store.lastPosition()
        let summary = try await app.queries.accountSummary(waitingFor: last)
        #expect(ids.allSatisfy { summary.row($0)?.balance == 100 })
        #expect(summary.row(ids[0])?.transactions == 20)
        try await app.close()
        await store.close()
    }
}

extension ViewTests {
    /// A views folder that cannot be created reports the operating system's reason (here
    /// `ENOTDIR`: a file is in the way), not only Foundation's description.
    @Test func aViewsFolderThatCannotBeCreatedSaysWhy() async throws {
        let folder = try TemporaryFolder()
        #expect(FileManager.default.createFile(atPath: folder.sub("file"), contents: Data()))
        let store = InMemoryEventStore()
        let error = #expect(throws: EventStoreError.self) {
            _ = try BankQueries(store: store, folder: folder.sub("file") + "/views")
        }
        guard case let .io(operation, path, code, message)? = error else {
            Issue.record("expected an I/O error, got \(String(describing: error))")
            return
        }
        #expect(operation == "create folder")
        #expect(path == folder.sub("file") + "/views")
        #expect(code == ENOTDIR)
        #expect(message == String(cString: strerror(ENOTDIR)))
    }
}

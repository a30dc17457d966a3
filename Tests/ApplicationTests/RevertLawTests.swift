import Bank
import Chronicle
import ChronicleTesting
import Foundation
import TestSupport
import Testing

/// The laws of time travel, on random Bank histories (seeded, reproducible):
/// - after `revert(since: T)`, every aggregate and every view equals its state as of T;
/// - walking back to T equals replaying to T;
/// - reverting that revert restores the state before it;
/// - views maintained through reverts equal views rebuilt from zero.
@Suite("Revert laws")
struct RevertLawTests {
    struct World {
        let clock = ManualWallClock()
        let store: InMemoryEventStore
        let app: BankApp
        var accounts: [Account.ID] = []
        var random: SeededRandom

        init(seed: UInt64) async throws {
            store = InMemoryEventStore(clock: clock)
            app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), projection: .inline,
                                         options: CommandProcessorOptions(snapshotInterval: 0))
            random = SeededRandom(seed: seed)
        }

        /// Random commands over simulated hours, with now and then a revert of the recent past.
        mutating func live(steps: Int) async throws {
            for _ in 0..<steps {
                clock.advance(by: Double(random.next(upperBound: 7_200)))
                if accounts.isEmpty || random.next(upperBound: 8) == 0 {
                    let id = Account.ID.make()
                    try await app.commands.open(account: id, owner: "Owner \(random.next(upperBound: 5))")
                    accounts.append(id)
                    continue
                }
                let id = accounts[random.next(upperBound: accounts.count)]
                switch random.next(upperBound: 20) {
                case 0..<6: _ = try? await app.commands.deposit(account: id, amount: random.next(upperBound: 1_000) + 1)
                case 6..<9: _ = try? await app.commands.withdraw(account: id, amount: random.next(upperBound: 600) + 1)
                case 9..<13: _ = try? await app.commands.transfer(from: id, to: accounts[random.next(upperBound: accounts.count)], amount: random.next(upperBound: 400) + 1)
                case 13..<16: _ = try? await app.commands.rename(account: id, owner: "Owner \(random.next(upperBound: 5))")
                case 16: _ = try? await app.commands.close(account: id)
                case 17:
                    // An earlier revert, of the last few hours.
                    let since = clock.now().addingTimeInterval(-Double(random.next(upperBound: 20_000)))
                    _ = try await app.revert(since: since, reason: "earlier correction")
                default: _ = try? await app.commands.deposit(account: id, amount: 7)
                }
            }
        }

        func states() async throws -> [Account.ID: Account.State] {
            var states: [Account.ID: Account.State] = [:]
            for id in accounts { states[id] = try await app.commands.processor.load(Account.State.self, id: id).state }
            return states
        }

        func currentViews() -> BankViews {
            BankViews(accountSummary: app.queries.accountSummary, accountHistory: app.queries.accountHistory, bankTotals: app.queries.bankTotals)
        }
    }

    @Test("revert(since: T) == state(asOf: T), walk-back == replay, redo restores, views == rebuild", arguments: 0..<200)
    func laws(seed: UInt64) async throws {
        var world = try await World(seed: seed)
        try await world.live(steps: 40 + Int(seed % 40))
        let app = world.app
        let end = try await world.store.lastPosition()
        let target = Int64(world.random.next(upperBound: Int(end) + 1))

        // As of the target: walking back and replaying agree, for aggregates and views.
        var asOf: [Account.ID: Account.State] = [:]
        for id in world.accounts {
            let back = try await app.commands.processor.state(Account.State.self, id: id, asOf: target, path: .walkBack)
            let replay = try await app.commands.processor.state(Account.State.self, id: id, asOf: target, path: .replay)
            #expect(back.state == replay.state, "seed \(seed): \(id) as of \(target)")
            #expect(back.version == replay.version)
            asOf[id] = replay.state
        }
        let viewsAsOf = try await app.queries.asOf(target)
        let summaryBack = try await app.queries.accountSummary(asOf: target, path: .walkBack)
        let summaryReplay = try await app.queries.accountSummary(asOf: target, path: .replay)
        #expect(summaryBack == summaryReplay, "seed \(seed): summary as of \(target)")
        #expect(summaryBack == viewsAsOf.accountSummary)

        // Dry run: nothing appended, and it announces what the revert will do.
        let before = try await world.states()
        let viewsBefore = world.currentViews()
        let dry = try await app.timeMachine.revert(since: target, reason: "dry", dryRun: true)
        #expect(try await world.store.lastPosition() == end)
        #expect(dry.positions == nil)
        for difference in dry.plan.aggregates {
            let id = world.accounts.first { Account.State.stream(for: $0) == difference.stream }
            let predicted = try ChronicleJSON.decode(Account.State.self, from: Array(difference.after.utf8))
            #expect(id.map { asOf[$0] } == predicted, "seed \(seed): the dry run predicts the as-of state")
        }

        // The revert: every aggregate and view equals its state as of the target.
        let outcome = try await app.timeMachine.revert(since: target, reason: "law", actor: "tester")
        try await app.queries.views.catchUp()
        let after = try await world.states()
        for id in world.accounts { #expect(after[id] == asOf[id], "seed \(seed): \(id) after revert since \(target)") }
        #expect(app.queries.accountSummary == viewsAsOf.accountSummary, "seed \(seed): summary after revert")
        #expect(app.queries.accountHistory == viewsAsOf.accountHistory, "seed \(seed): history after revert")
        #expect(app.queries.bankTotals == viewsAsOf.bankTotals, "seed \(seed): totals after revert")
        #expect(outcome.plan.steps.count + outcome.plan.cancelled.count == Int(end - target))

        // Views kept up to date through reverts equal views rebuilt from zero.
        let rebuilt = try BankQueries(store: world.store, folder: nil)
        try await rebuilt.views.catchUp()
        #expect(rebuilt.accountSummary == app.queries.accountSummary)
        #expect(rebuilt.accountHistory == app.queries.accountHistory)
        #expect(rebuilt.bankTotals == app.queries.bankTotals)

        // Reverting the revert restores the state before it.
        if !outcome.plan.steps.isEmpty {
            let batch = try await world.store.readAll(from: outcome.positions?.lowerBound ?? 1, direction: .forward, limit: outcome.plan.steps.count)
            _ = try await app.revert(events: batch.map(\.id), reason: "redo")
            let redone = try await world.states()
            for id in world.accounts { #expect(redone[id] == before[id], "seed \(seed): \(id) after redo") }
            // Every view comes back exactly, the history's dates and positions included: a redo
            // presents the original event's context to views.
            #expect(world.currentViews() == viewsBefore, "seed \(seed): views after redo")
        }
    }

    @Test func irreversibleEventsStopARevertAndNameTheirReason() async throws {
        let world = try await World(seed: 1)
        let id = Account.ID.make()
        try await world.app.commands.open(account: id, owner: "Ada")
        let start = world.clock.now()
        world.clock.advance(by: 60)
        try await world.app.commands.deposit(account: id, amount: 10)
        let notified = try await world.app.commands.notify(account: id, message: "Welcome", channel: .email)
        try await world.app.commands.deposit(account: id, amount: 5)
        let notice = try #require(try await world.store.readAll(from: notified.lastPosition ?? 0, direction: .forward, limit: 1).first)
        await #expect(throws: RevertError.irreversible([
            RevertError.Irreversible(eventID: notice.id, type: "Account.MessageSent", position: 3, reason: "a sent message cannot be unsent"),
        ])) {
            try await world.app.revert(since: start, reason: "test")
        }
        #expect(try await world.store.lastPosition() == 4, "nothing appended")
        // As-of still works across it: by replaying.
        let asOf = try await world.app.commands.processor.state(Account.State.self, id: id, asOf: 1)
        #expect(asOf.path == .replay)
        #expect(asOf.state.balance == 0)
        // The checks any user can run name the event too.
        #expect(throws: InverseLaw.Violation.self) { try InverseLaw.checkState(Account.State(), .messageSent(Account.MessageSent(message: "x", channel: .letter))) }
        await #expect(throws: RevertError.unknownEvent(UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)) {
            try await world.app.revert(events: [UUID(uuidString: "00000000-0000-0000-0000-000000000001")!], reason: "none")
        }
    }

    @Test func revertingChosenEventsReportsConflictsWithLaterChanges() async throws {
        var world = try await World(seed: 2)
        let id = Account.ID.make()
        world.accounts = [id]
        try await world.app.commands.open(account: id, owner: "Ada")
        let renamed = try await world.app.commands.rename(account: id, owner: "Grace")
        try await world.app.commands.deposit(account: id, amount: 50)
        try await world.app.commands.rename(account: id, owner: "Linus")
        let events = try await world.store.readAll(from: 1, direction: .forward, limit: 10)
        let rename = try #require(events.first { $0.position == renamed.lastPosition })
        let deposit = try #require(events.first { $0.type == "Account.Deposited" })
        // Undoing the first rename would not bring back what the second one changed.
        await #expect(throws: RevertError.self) { try await world.app.revert(events: [rename.id], reason: "typo") }
        do {
            _ = try await world.app.revert(events: [rename.id], reason: "typo")
        } catch let RevertError.conflicts(conflicts) {
            #expect(conflicts.count == 1)
            #expect(conflicts.first?.fields == ["AccountSummary.owner", "owner"])
            #expect(conflicts.first?.laterEventID == events.last?.id)
        }
        #expect(try await world.store.lastPosition() == 4, "nothing appended")
        // A deposit commutes with what came after it: no conflict, and the balance goes back.
        let undone = try await world.app.revert(events: [deposit.id], reason: "wrong amount", actor: "auditor")
        #expect(try await world.states()[id]?.balance == 0)
        #expect(try await world.states()[id]?.owner == "Linus")
        let inverse = try #require(try await world.store.readAll(from: undone.positions?.lowerBound ?? 0, direction: .forward, limit: 1).first)
        #expect(inverse.type == "Account.Withdrawn")
        #expect(inverse.metadata["chronicle.reverts"] == deposit.id.uuidString)
        #expect(inverse.metadata["chronicle.revert-reason"] == "wrong amount")
        #expect(inverse.metadata["chronicle.revert-batch"] == undone.plan.batchID.uuidString)
        #expect(inverse.actor == "auditor")
        // The summary did not count the reversal as a new transaction.
        #expect(world.app.queries.accountSummary.row(id)?.transactions == 0)
        // Forced, the conflicting revert goes through.
        _ = try await world.app.revert(events: [rename.id], reason: "typo", force: true)
        #expect(try await world.states()[id]?.owner == "Ada")
    }
}

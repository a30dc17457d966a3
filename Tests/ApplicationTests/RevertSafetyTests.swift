import Bank
import Chronicle
import ChronicleTesting
import Foundation
import Loyalty
import TestSupport
import Testing

/// What must never happen around reverts and arithmetic: a trap on a large amount, a store
/// bricked by one event a view cannot take, a client steering views through metadata, an event
/// undone twice, a selective revert that gives a state no history produces.
@Suite("Overflow, reserved metadata, repeated and conflicting reverts")
struct RevertSafetyTests {
    static func openLoyalty() async throws -> (InMemoryEventStore, LoyaltyApp) {
        let store = InMemoryEventStore()
        let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook())
        return (store, app)
    }

    /// The id of the first event a command recorded.
    static func firstEvent(_ outcome: CommandOutcome, in store: any EventStore) async throws -> UUID {
        let position = try #require(outcome.positions?.lowerBound)
        return try #require(try await store.readAll(from: position, direction: .forward, limit: 1).first?.id)
    }

    /// Reverts `event` alone, expecting conflicts: returns the fields they name, after checking
    /// that nothing was appended.
    static func conflictingFields(reverting event: UUID, app: LoyaltyApp, store: InMemoryEventStore) async throws -> Set<String> {
        let end = try await store.lastPosition()
        var fields = Set<String>()
        do {
            _ = try await app.revert(events: [event], reason: "wrong")
            Issue.record("the revert should report a conflict")
        } catch RevertError.conflicts(let conflicts) {
            fields = Set(conflicts.flatMap(\.fields))
        }
        #expect(try await store.lastPosition() == end, "nothing appended")
        return fields
    }

    @Test("a command whose event would overflow a state field is refused, with nothing recorded")
    func overflowingCommandIsRefused() async throws {
        let (store, app) = try await Self.openLoyalty()
        let id = Member.ID("ada")
        try await app.commands.join(member: id, name: "Ada")
        try await app.commands.earn(member: id, points: Points.max - 5)
        let end = try await store.lastPosition()
        await #expect(throws: ArithmeticOverflow(field: "Member.points")) {
            try await app.commands.earn(member: id, points: 10)
        }
        #expect(try await store.lastPosition() == end, "nothing recorded")
        // The aggregate is intact and goes on.
        try await app.commands.spend(member: id, points: 5)
        #expect(try await app.commands.processor.load(Member.State.self, id: id).state.points == Points.max - 10)
    }

    @Test("a view that would overflow stops alone, keeps its last good state, and the rest goes on")
    func overflowingViewStopsAlone() async throws {
        let folder = try TemporaryFolder()
        let storePath = folder.sub("store"), viewsPath = folder.sub("views")
        let store = try FlatFileEventStore(path: storePath, options: .testing)
        let app = try await BankApp.open(store: store, viewsFolder: viewsPath, rules: BankRulebook())
        let first = Account.ID.make(), second = Account.ID.make()
        try await app.commands.open(account: first, owner: "Ada")
        try await app.commands.open(account: second, owner: "Grace")
        let half = Money.max / 2 + 1
        try await app.commands.deposit(account: first, amount: half)
        // Each balance fits; the bank-wide total does not.
        let poison = try await app.commands.deposit(account: second, amount: half)
        let failure = try #require(app.queries.views.failures.first)
        #expect(failure.view == "BankTotals")
        #expect(failure.eventType == "Account.Deposited")
        #expect(failure.position == poison.lastPosition)
        #expect(failure.reason.contains("BankTotals.") && failure.reason.contains("overflow"))
        #expect((failure.underlying as? ArithmeticOverflow)?.field.hasPrefix("BankTotals.") == true, "the handler's own error is kept")
        #expect(app.queries.bankTotals.row.balance == half, "the last good state")
        #expect(app.queries.accountSummary.row(second)?.balance == half, "other views go on")
        // Commands, queries and reverts go on.
        try await app.commands.withdraw(account: first, amount: 10)
        #expect(app.queries.accountSummary.row(first)?.balance == half - 10)
        let undo = try await app.revert(events: [try await Self.firstEvent(poison, in: store)], reason: "too much")
        #expect(undo.positions != nil)
        #expect(app.queries.accountSummary.row(second)?.balance == 0)
        try await app.close()
        await store.close()

        // Another process opens the store: its commands work, and one that serves the stopped
        // view says so (`list` serves the account summaries alone).
        let bank = CLIProcess.executable(named: "bank")
        let list = try await CLIProcess.run(["list", "--store", storePath, "--views", viewsPath], in: folder, executable: bank)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stderr.isEmpty, "the summaries' view file is of this log and whole: \(list.stderr)")
        let asOf = try await CLIProcess.run(["as-of", "--store", storePath, "--views", viewsPath, "now"], in: folder, executable: bank)
        #expect(asOf.status == 0, "\(asOf.stderr)")
        #expect(asOf.stderr.contains("view BankTotals stopped"), "\(asOf.stderr)")
        let deposit = try await CLIProcess.run(["deposit", "--store", storePath, "--views", viewsPath, first.description, "1"], in: folder, executable: bank)
        #expect(deposit.status == 0, "\(deposit.stderr)")
    }

    @Test("metadata keys of the reserved chronicle. prefix are refused; a spoofed view effect changes nothing")
    func reservedMetadataIsRefused() async throws {
        let store = InMemoryEventStore()
        let app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook())
        let id = Account.ID.make()
        try await app.commands.open(account: id, owner: "Ada")
        let end = try await store.lastPosition()
        let spoofed = CommandContext(metadata: [ViewEffect.metadataKey: "undo:Account.Deposited", "note": "fine"])
        await #expect(throws: CommandError.reservedMetadataKey(ViewEffect.metadataKey)) {
            try await app.commands.deposit(account: id, amount: 100, context: spoofed)
        }
        #expect(try await store.lastPosition() == end)
        #expect(app.queries.accountSummary.row(id)?.balance == 0)
        // Ordinary metadata is kept.
        try await app.commands.deposit(account: id, amount: 100, context: CommandContext(metadata: ["note": "fine"]))
        #expect(app.queries.accountSummary.row(id)?.balance == 100)
        #expect(try await store.readAll(from: .max, direction: .backward, limit: 1).first?.metadata["note"] == "fine")
    }

    @Test("reverting an event that is already reverted is refused, naming the revert; after a redo it can be reverted again")
    func revertingTwiceIsRefused() async throws {
        let (store, app) = try await Self.openLoyalty()
        let id = Member.ID("ada")
        try await app.commands.join(member: id, name: "Ada")
        let earned = try await app.commands.earn(member: id, points: 30)
        let event = try await Self.firstEvent(earned, in: store)
        let undo = try await app.revert(events: [event], reason: "mistake")
        let revertEvent = try #require(try await store.readAll(from: undo.positions?.lowerBound ?? 0, direction: .forward, limit: 1).first)
        let end = try await store.lastPosition()
        await #expect(throws: RevertError.alreadyReverted(eventID: event, by: revertEvent.id)) {
            try await app.revert(events: [event], reason: "again")
        }
        #expect(try await store.lastPosition() == end)
        // Redo (revert the revert): the event is in effect again, and can be reverted again.
        _ = try await app.revert(events: [revertEvent.id], reason: "redo")
        #expect(try await app.commands.processor.load(Member.State.self, id: id).state.points == 30)
        _ = try await app.revert(events: [event], reason: "mistake after all")
        #expect(try await app.commands.processor.load(Member.State.self, id: id).state.points == 0)
    }

    @Test("an event applied in Swift conflicts with what it may touch")
    func swiftAppliedEventsConflict() async throws {
        let (store, app) = try await Self.openLoyalty()
        let id = Member.ID("ada")
        try await app.commands.join(member: id, name: "Ada")
        let earned = try await app.commands.earn(member: id, points: 3)
        try await app.commands.doublePoints(member: id)
        let end = try await store.lastPosition()
        // Undoing the +3 after the doubling would leave 3, which no history gives.
        let fields = try await Self.conflictingFields(reverting: try await Self.firstEvent(earned, in: store), app: app, store: store)
        #expect(fields.contains("points"))
        // Reverting both, newest first, is exact.
        let doubled = try #require(try await store.readAll(from: end, direction: .forward, limit: 1).first)
        _ = try await app.revert(events: [try await Self.firstEvent(earned, in: store), doubled.id], reason: "both")
        #expect(try await app.commands.processor.load(Member.State.self, id: id).state.points == 0)
    }

    @Test("undoing a list append removes that event's own element, or reports the later change to the list")
    func listAppendsUndoTheirOwnElement() async throws {
        let (store, app) = try await Self.openLoyalty()
        let id = Member.ID("ada")
        try await app.commands.join(member: id, name: "Ada")
        let charge = try await app.commands.earn(member: id, points: 1_000)
        try await app.commands.spend(member: id, points: 400)
        // The card's lines changed after the earning: undoing it alone is reported.
        let fields = try await Self.conflictingFields(reverting: try await Self.firstEvent(charge, in: store), app: app, store: store)
        #expect(fields.contains("MemberCard.lines"))
        // Forced, it removes exactly the earning's own line, and a redo brings it back.
        let forced = try await app.revert(events: [try await Self.firstEvent(charge, in: store)], reason: "wrong", force: true)
        #expect(app.queries.memberCard.row(id)?.lines.map(\.kind) == [.joined, .spent])
        #expect(app.queries.memberCard.row(id)?.lines.map(\.points) == [0, 400])
        let revert = try #require(try await store.readAll(from: forced.positions?.lowerBound ?? 0, direction: .forward, limit: 1).first)
        _ = try await app.revert(events: [revert.id], reason: "redo")
        #expect(app.queries.memberCard.row(id)?.lines.map(\.points).sorted() == [0, 400, 1_000])
    }

    @Test("InverseLaw checks states and views exactly as its documentation shows")
    func inverseLawAsDocumented() throws {
        let state = Account.State(owner: "Ada", balance: 10, status: .open)
        let id = Account.ID.make()
        let context = EventContext(eventID: UUID(), position: 7, streamVersion: 2, recordedAt: Date(timeIntervalSince1970: 1_000), actor: "ada")
        try InverseLaw.checkState(state, .deposited(Account.Deposited(amount: 5)))
        try InverseLaw.checkState(state, .renamed(Account.Renamed(owner: "Grace")))
        var summary = AccountSummary()
        try summary.project(.account(id, .opened(Account.Opened(owner: "Ada"))), effect: ViewEffect(.apply, "Account.Opened"), context: context)
        try InverseLaw.checkView(summary, .account(id, .deposited(Account.Deposited(amount: 5))), context: context)
        // A view that mirrors a `set` needs the event as recorded: captured on its state.
        try InverseLaw.checkView(summary, .account(id, state.capturing(.renamed(Account.Renamed(owner: "Grace")))), context: context)
    }
}

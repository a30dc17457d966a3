import Bank
import Chronicle
import Foundation
import Loyalty
import Testing

/// A command's outcome names the events it recorded, as the log holds them, on both domains;
/// a replayed command names the events of its first run.
@Suite("What a command recorded")
struct CommandOutcomeTests {
    /// The outcome's references equal the log's events at those positions.
    static func expectMatchesLog(_ outcome: CommandOutcome, _ store: any EventStore) async throws {
        let positions = try #require(outcome.positions)
        let logged = try await store.readAll(from: positions.lowerBound, direction: .forward, limit: outcome.events.count + 1)
            .filter { positions.contains($0.position) }
        #expect(outcome.events == logged.map { RecordedEventReference(id: $0.id, stream: $0.stream, position: $0.position, type: $0.type) })
    }

    @Test func bankOutcomesNameTheirEvents() async throws {
        let bank = try BankFixture()
        let (a, b) = (Account.ID.make(), Account.ID.make())
        let opened = try await bank.commands.open(account: a, owner: "Ada")
        #expect(opened.events.map(\.type) == ["Account.Opened"])
        #expect(opened.events.first?.stream == Account.State.stream(for: a))
        try await Self.expectMatchesLog(opened, bank.store)
        try await bank.commands.open(account: b, owner: "Bob")
        try await bank.commands.deposit(account: a, amount: 100)
        let context = CommandContext(commandID: UUID())
        let transfer = try await bank.commands.transfer(from: a, to: b, amount: 70, context: context)
        #expect(transfer.events.map(\.type) == ["Account.Withdrawn", "Account.Deposited"])
        #expect(transfer.events.map(\.stream) == [Account.State.stream(for: a), Account.State.stream(for: b)])
        try await Self.expectMatchesLog(transfer, bank.store)
        // The same command again records nothing and names the first run's events.
        let again = try await bank.commands.transfer(from: a, to: b, amount: 70, context: context)
        #expect(again.isDuplicate)
        #expect(again.events == transfer.events)
        await bank.close()
    }

    @Test func loyaltyOutcomesNameTheirEvents() async throws {
        let store = InMemoryEventStore()
        let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(), projection: .inline)
        let id = Member.ID("m-1")
        let joined = try await app.commands.join(member: id, name: "Ada")
        let earned = try await app.commands.earn(member: id, points: 40)
        #expect(joined.events.map(\.type) == ["Member.Joined"])
        #expect(earned.events.map(\.type) == ["Member.Earned"])
        #expect(earned.events.first?.position == joined.events.first.map { $0.position + 1 })
        try await Self.expectMatchesLog(earned, store)
        // Reverting exactly what a command did: its events are in the outcome.
        let context = CommandContext(commandID: UUID())
        let doubled = try await app.commands.doublePoints(member: id, context: context)
        #expect(doubled.events.count == 1)
        #expect(try await app.commands.doublePoints(member: id, context: context).events == doubled.events)
        try await app.close()
    }
}

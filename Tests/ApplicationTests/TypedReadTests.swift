import Bank
import Chronicle
import Foundation
import Loyalty
import Testing

/// `app.account(id)` and its as-of forms: an aggregate's state now, at a position and at a
/// date, `nil` where it did not exist; on both domains.
@Suite("Typed reads of one aggregate")
struct TypedReadTests {
    @Test func bankAccountNowAtAPositionAndAtADate() async throws {
        let clock = ManualWallClock()
        let store = InMemoryEventStore(clock: clock)
        let app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), options: CommandProcessorOptions(clock: clock))
        let id = Account.ID.make()
        #expect(try await app.account(id) == nil)
        let opened = try await app.commands.open(account: id, owner: "Ada")
        let beforeDeposits = clock.now()
        clock.advance(by: 86_400)
        try await app.commands.deposit(account: id, amount: 100)
        let second = try await app.commands.deposit(account: id, amount: 50)
        #expect(try await app.account(id)?.balance == 150)
        #expect(try await app.account(id, asOf: try #require(opened.lastPosition))?.balance == 0)
        #expect(try await app.account(id, asOf: try #require(second.lastPosition) - 1)?.balance == 100)
        #expect(try await app.account(id, asOf: beforeDeposits)?.owner == "Ada")
        #expect(try await app.account(id, asOf: beforeDeposits)?.balance == 0)
        // Before it was opened, it did not exist.
        #expect(try await app.account(id, asOf: Date(timeIntervalSince1970: 0)) == nil)
        #expect(try await app.account(id, asOf: 0) == nil)
        try await app.close()
    }

    @Test func loyaltyMemberNowAndInThePast() async throws {
        let store = InMemoryEventStore()
        let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook())
        let id = Member.ID("m-1")
        #expect(try await app.member(id) == nil)
        let joined = try await app.commands.join(member: id, name: "Ada")
        try await app.commands.earn(member: id, points: 40)
        try await app.commands.tag(member: id, tag: "early")
        #expect(try await app.member(id)?.points == 40)
        #expect(try await app.member(id)?.tags == ["early"])
        let past = try await app.member(id, asOf: try #require(joined.lastPosition))
        #expect(past?.points == 0 && past?.tags == [])
        try await app.close()
    }
}

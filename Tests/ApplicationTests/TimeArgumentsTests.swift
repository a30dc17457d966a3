import Bank
import Chronicle
import Foundation
import Loyalty
import Testing

/// Time is asked for as a date or a position, with the same spelling everywhere: all the views
/// (`now` and `asOf`, one type), one view, one aggregate, and revert; on both domains.
@Suite("A date or a position, everywhere")
struct TimeArgumentsTests {
    @Test func bankDatesAndPositionsAgree() async throws {
        let clock = ManualWallClock()
        let store = InMemoryEventStore(clock: clock)
        let app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), options: CommandProcessorOptions(clock: clock))
        let id = Account.ID.make()
        try await app.commands.open(account: id, owner: "Ada")
        let first = try await app.commands.deposit(account: id, amount: 100)
        let dayOne = clock.now()
        clock.advance(by: 86_400)
        try await app.commands.deposit(account: id, amount: 50)
        let position = try #require(first.lastPosition)
        // Now and then are the same type.
        let now: BankViews = app.queries.now
        let then: BankViews = try await app.queries.asOf(dayOne)
        #expect(now.accountSummary.row(id)?.balance == 150)
        #expect(then.accountSummary.row(id)?.balance == 100)
        #expect(try await app.queries.asOf(position).accountSummary.row(id)?.balance == 100)
        #expect(try await app.queries.accountSummary(asOf: dayOne).row(id)?.balance == 100)
        #expect(try await app.queries.bankTotals(asOf: position).row.deposited == 100)
        #expect(try await app.account(id, asOf: dayOne)?.balance == 100)
        // Revert since a position: what came after it is undone.
        let reverted = try await app.revert(since: position, reason: "test", dryRun: false)
        #expect(!reverted.dryRun)
        #expect(app.queries.now.accountSummary.row(id)?.balance == 100)
        #expect(try await app.account(id)?.balance == 100)
        try await app.close()
    }

    @Test func loyaltyDatesAndPositionsAgree() async throws {
        let clock = ManualWallClock()
        let store = InMemoryEventStore(clock: clock)
        let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(), options: CommandProcessorOptions(clock: clock))
        let id = Member.ID("m-2")
        try await app.commands.join(member: id, name: "Bo")
        let earned = try await app.commands.earn(member: id, points: 30)
        let dayOne = clock.now()
        clock.advance(by: 3_600)
        try await app.commands.earn(member: id, points: 12)
        #expect(app.queries.now.memberCard.row(id)?.points == 42)
        #expect(try await app.queries.asOf(dayOne).memberCard.row(id)?.points == 30)
        #expect(try await app.queries.memberCard(asOf: dayOne).row(id)?.points == 30)
        #expect(try await app.member(id, asOf: dayOne)?.points == 30)
        _ = try await app.revert(since: try #require(earned.lastPosition), reason: "test")
        #expect(app.queries.now.memberCard.row(id)?.points == 30)
        try await app.close()
    }
}

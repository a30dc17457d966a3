import Bank
import Chronicle
@testable import ChroniclePostgres
import Foundation
import Loyalty
import PostgresNIO
import Testing

/// Views kept in PostgreSQL tables: other read sides load them instead of replaying, SQL reads
/// them, and rebuild, as-of and revert work as with files, on both domains.
@Suite("Views in PostgreSQL", .enabled(if: TestDatabase.enabled, TestDatabase.skipMessage), .timeLimit(.minutes(10)))
struct PostgresViewStorageTests {
    static func bank(_ store: PostgresEventStore, projection: ProjectionMode = .inline) async throws -> BankApp {
        try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), projection: projection,
                               viewOptions: ViewStoreOptions(storage: PostgresViewStorage(store: store)))
    }

    @Test func bankViewsLiveInTablesThatSQLReadsAndOtherReadSidesLoad() async throws {
        let store = try await TestDatabase.freshStore()
        let bank = try await Self.bank(store)
        let ada = Account.ID.make(), bob = Account.ID.make()
        try await bank.commands.open(account: ada, owner: "Ada")
        try await bank.commands.open(account: bob, owner: "Bob")
        let kept = try #require(try await bank.commands.deposit(account: ada, amount: 250).lastPosition)
        try await bank.commands.transfer(from: ada, to: bob, amount: 100)
        let views = bank.queries.now
        try await bank.close()

        // SQL sees the rows, with the indexed field in a column of its own.
        let owners = try await store.client.query(PostgresQuery(unsafeSQL: """
            SELECT owner, (row->>'balance')::bigint FROM \(store.tables.viewTable("AccountSummary")) ORDER BY owner
            """)).collect().map { try $0.decode((String, Int64).self) }
        #expect(owners.map(\.0) == ["Ada", "Bob"] && owners.map(\.1) == [150, 100])
        let totals = try await store.client.query(PostgresQuery(unsafeSQL: """
            SELECT (row->>'balance')::bigint FROM \(store.tables.viewTable("BankTotals")) WHERE key = ''
            """)).collect().first?.decode(Int64.self)
        #expect(totals == 250)

        // Another read side loads them as they are, and does not rebuild them.
        let other = try await Self.bank(store, projection: .none)
        try await other.queries.views.catchUp()
        #expect(other.queries.now == views)
        #expect(other.queries.views.repairs.isEmpty, "\(other.queries.views.repairs)")
        #expect(try await other.queries.asOf(kept).accountSummary.row(ada)?.balance == 250)
        try await other.close()

        // A revert reaches the tables too; a rebuild from zero gives the same views.
        let again = try await Self.bank(store)
        #expect(try await again.revert(since: kept, reason: "test").positions != nil)
        try await again.close()
        let balances = try await store.client.query(PostgresQuery(unsafeSQL: """
            SELECT (row->>'balance')::bigint FROM \(store.tables.viewTable("AccountSummary")) ORDER BY owner
            """)).collect().map { try $0.decode(Int64.self) }
        #expect(balances == [250, 0])
        let rebuilt = try await Self.bank(store, projection: .none)
        try await rebuilt.queries.views.rebuild()
        let reread = try await Self.bank(store, projection: .none)
        try await reread.queries.views.catchUp()
        #expect(reread.queries.now == rebuilt.queries.now)
        try await rebuilt.close()
        try await reread.close()
        await store.dropAndClose()
    }

    @Test func aChangedDefinitionIsRebuiltFromTheLog() async throws {
        let store = try await TestDatabase.freshStore()
        let bank = try await Self.bank(store)
        let ada = Account.ID.make()
        try await bank.commands.open(account: ada, owner: "Ada")
        try await bank.commands.deposit(account: ada, amount: 5)
        let views = bank.queries.now
        try await bank.close()
        try await store.client.query(PostgresQuery(unsafeSQL: "UPDATE \(store.tables.views) SET fingerprint = 'other' WHERE name = 'AccountSummary'"))
        let reopened = try await Self.bank(store)
        #expect(reopened.queries.now == views)
        #expect(reopened.queries.views.repairs.contains { $0.contains("AccountSummary") && $0.contains("definition changed") }, "\(reopened.queries.views.repairs)")
        try await reopened.close()
        let fingerprint = try await store.client.query(PostgresQuery(unsafeSQL: "SELECT fingerprint FROM \(store.tables.views) WHERE name = 'AccountSummary'"))
            .collect().first?.decode(String.self)
        #expect(fingerprint == AccountSummary.fingerprint)
        await store.dropAndClose()
    }

    @Test func loyaltyViewsRoundTripThroughTheDatabase() async throws {
        let store = try await TestDatabase.freshStore()
        let open = { (projection: ProjectionMode) in
            try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(), projection: projection,
                                      viewOptions: ViewStoreOptions(storage: PostgresViewStorage(store: store)))
        }
        let app = try await open(.inline)
        for index in 0..<6 {
            let member = Member.ID("m-\(index)")
            try await app.commands.join(member: member, name: "Member \(index)")
            try await app.commands.earn(member: member, points: 10 * (index + 1))
            try await app.commands.tag(member: member, tag: index.isMultiple(of: 2) ? "even" : "odd")
        }
        let kept = try await store.lastPosition()
        try await app.commands.doublePoints(member: Member.ID("m-1"))
        let views = app.queries.now
        try await app.close()
        let other = try await open(.none)
        try await other.queries.views.catchUp()
        #expect(other.queries.now == views)
        #expect(other.queries.views.repairs.isEmpty, "\(other.queries.views.repairs)")
        #expect(try await other.queries.asOf(kept) != views)
        #expect(try await other.revert(since: kept, reason: "undo the doubling").positions != nil)
        try await other.queries.views.catchUp()
        let afterRevert = other.queries.now
        try await other.close()
        let third = try await open(.none)
        try await third.queries.views.catchUp()
        #expect(third.queries.now == afterRevert)
        try await third.close()
        await store.dropAndClose()
    }
}

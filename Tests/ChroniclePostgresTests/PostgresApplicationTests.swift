import Bank
import Chronicle
@testable import ChroniclePostgres
import Foundation
import Loyalty
import PostgresNIO
import Testing

/// The generated applications on PostgreSQL, with snapshots and the audit log in the database:
/// commands, refusals, typed reads, as-of, and revert behave as on flat files, on both domains.
@Suite("Applications on PostgreSQL", .enabled(if: TestDatabase.enabled, TestDatabase.skipMessage), .timeLimit(.minutes(10)))
struct PostgresApplicationTests {
    @Test func theBankWithSnapshotsAndAuditInTheDatabase() async throws {
        let store = try await TestDatabase.freshStore()
        let audit = PostgresAuditLog(store: store)
        let open = {
            try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), snapshots: PostgresSnapshotStore(store: store),
                                   audit: audit, options: CommandProcessorOptions(snapshotInterval: 3))
        }
        let bank = try await open()
        let ada = Account.ID.make(), bob = Account.ID.make()
        try await bank.commands.open(account: ada, owner: "Ada")
        try await bank.commands.open(account: bob, owner: "Bob")
        let kept = try #require(try await bank.commands.deposit(account: ada, amount: 100).lastPosition)
        for amount in [10, 20, 30] as [Money] { try await bank.commands.deposit(account: ada, amount: amount) }
        try await bank.commands.transfer(from: ada, to: bob, amount: 50)
        await #expect(throws: Account.WithdrawError.self) { try await bank.commands.withdraw(account: bob, amount: 1_000) }
        #expect(try await bank.account(ada)?.balance == 110)
        #expect(bank.queries.accountSummary.row(bob)?.balance == 50)

        // A snapshot was saved in the database, and a cold processor loads the same state.
        let snapshot = try #require(try await PostgresSnapshotStore(store: store).load(stream: Account.State.stream(for: ada)))
        #expect(snapshot.version >= 3)
        try await bank.close()
        let cold = try await open()
        #expect(try await cold.account(ada)?.balance == 110)

        // The audit log has every command, the refused one among them.
        let entries = try await audit.entries(since: nil, rejectedOnly: false)
        #expect(entries.map(\.command).filter { $0 == "Account.Deposit" }.count == 4)
        let refused = try await audit.entries(since: nil, rejectedOnly: true)
        #expect(refused.map(\.command) == ["Account.Withdraw"])

        // As of the first deposit, and reverting back to it.
        #expect(try await cold.account(ada, asOf: kept)?.balance == 100)
        let then = try await cold.queries.asOf(kept)
        #expect(try await cold.revert(since: kept, reason: "test", actor: "tests").positions != nil)
        #expect(try await cold.account(ada)?.balance == 100)
        #expect(try await cold.account(bob)?.balance == 0)
        #expect(cold.queries.now == then)
        try await cold.close()
        await store.dropAndClose()
    }

    @Test func loyaltyRevertsAndReadsAsOfOnTheDatabase() async throws {
        let store = try await TestDatabase.freshStore()
        let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(),
                                            snapshots: PostgresSnapshotStore(store: store), audit: PostgresAuditLog(store: store),
                                            options: CommandProcessorOptions(snapshotInterval: 2))
        let member = Member.ID("m-1")
        try await app.commands.join(member: member, name: "Ada")
        let kept = try #require(try await app.commands.earn(member: member, points: 40).lastPosition)
        try await app.commands.doublePoints(member: member)
        try await app.commands.tag(member: member, tag: "gold")
        #expect(try await app.member(member)?.points == 80)
        let before = try await app.queries.asOf(kept)
        #expect(try await app.revert(since: kept, reason: "doubled by mistake").positions != nil)
        #expect(try await app.member(member)?.points == 40)
        #expect(app.queries.now == before)
        #expect(try await app.member(member, asOf: kept)?.points == 40)
        try await app.close()
        await store.dropAndClose()
    }
}

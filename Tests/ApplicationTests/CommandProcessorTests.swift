import Bank
import Chronicle
import ChronicleTesting
import Foundation
import Testing

@Suite("Command handling")
struct CommandProcessorTests {
    @Test func commandsRecordTheirEventsWithMetadata() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        let correlation = UUID()
        let context = CommandContext(correlationID: correlation, actor: "teller-7", metadata: ["channel": "branch"])
        let opened = try await bank.commands.open(account: id, owner: "Ada", context: context)
        #expect(!opened.isDuplicate)
        #expect(opened.positions == 1...1)
        #expect(opened.streamVersions == [Account.State.stream(for: id): 1])
        try await bank.commands.deposit(account: id, amount: 500)
        let event = try #require(try await bank.store.readAll(from: 1, direction: .forward, limit: 1).first)
        #expect(event.type == "Account.Opened")
        #expect(event.causationID == opened.commandID)
        #expect(event.correlationID == correlation)
        #expect(event.actor == "teller-7")
        #expect(event.metadata == ["channel": "branch"])
        #expect(event.recordedAt == bank.clock.now())
        #expect(try await bank.balance(id) == 500)
        await bank.close()
    }

    @Test func aRepeatedCommandIdRecordsNothingTwice() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        let context = CommandContext(commandID: UUID())
        let first = try await bank.commands.deposit(account: id, amount: 100, context: context)
        let again = try await bank.commands.deposit(account: id, amount: 100, context: context)
        #expect(!first.isDuplicate)
        #expect(again.isDuplicate)
        #expect(again.positions == first.positions)
        #expect(try await bank.balance(id) == 100)
        #expect(try await bank.store.lastPosition() == 2)
        // Also when the repeat would now break a rule: the original outcome comes back.
        try await bank.commands.withdraw(account: id, amount: 100, context: CommandContext(commandID: UUID()))
        let withdrawal = CommandContext(commandID: UUID())
        try await bank.commands.deposit(account: id, amount: 30)
        let taken = try await bank.commands.withdraw(account: id, amount: 30, context: withdrawal)
        let repeated = try await bank.commands.withdraw(account: id, amount: 30, context: withdrawal)
        #expect(repeated.isDuplicate && repeated.positions == taken.positions)
        // One context without an id serves many commands: each gets its own.
        let shared = CommandContext(actor: "teller")
        let a = try await bank.commands.deposit(account: id, amount: 1, context: shared)
        let b = try await bank.commands.deposit(account: id, amount: 1, context: shared)
        #expect(a.commandID != b.commandID && !b.isDuplicate)
        await bank.close()
    }

    @Test func aBrokenRuleThrowsItsTypedErrorAndRecordsNothing() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        await #expect(throws: Account.WithdrawError.insufficientFunds) { try await bank.commands.withdraw(account: id, amount: 1) }
        await #expect(throws: Account.DepositError.amountNotPositive) { try await bank.commands.deposit(account: id, amount: 0) }
        let missing = Account.ID.make()
        await #expect(throws: CommandError.aggregateNotFound(Account.State.stream(for: missing))) {
            try await bank.commands.deposit(account: missing, amount: 5)
        }
        await #expect(throws: CommandError.aggregateAlreadyExists(Account.State.stream(for: id))) { try await bank.commands.open(account: id, owner: "Bob") }
        #expect(try await bank.store.lastPosition() == 1)
        await bank.close()
    }

    @Test func aWarmButStaleAggregateCatchesUpBeforeDeciding() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        try await bank.commands.deposit(account: id, amount: 100)
        // A second processor on the same store, with its own warm copy of the account.
        let other = BankCommands(processor: CommandProcessor(store: bank.store), rules: BankRulebook())
        _ = try await other.processor.load(Account.State.self, id: id)
        try await bank.commands.deposit(account: id, amount: 50)  // the warm copy is now stale
        try await other.withdraw(account: id, amount: 120)  // decided on 150, not on 100
        #expect(try await bank.balance(id) == 30)
        await bank.close()
    }

    @Test func aConflictIsRetriedThenReturned() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        let stream = Account.State.stream(for: id)
        try await bank.commands.open(account: id, owner: "Ada")
        try await bank.commands.deposit(account: id, amount: 100)
        // Another writer slips a deposit in between each load and append.
        let racing = RacingStore(bank.store, stream: stream)
        let retrying = BankCommands(processor: CommandProcessor(store: racing, options: CommandProcessorOptions(maximumRetries: 3)), rules: BankRulebook())
        racing.racesLeft.withLock { $0 = 2 }
        let outcome = try await retrying.withdraw(account: id, amount: 90)
        #expect(outcome.streamVersions[stream] == 5)
        #expect(try await bank.balance(id) == 100 + 2 - 90)
        let strict = BankCommands(processor: CommandProcessor(store: racing, options: CommandProcessorOptions(maximumRetries: 0)), rules: BankRulebook())
        racing.racesLeft.withLock { $0 = 1 }
        await #expect(throws: EventStoreError.wrongExpectedVersion(stream: stream, expected: .exactly(5), actual: 6)) {
            try await strict.deposit(account: id, amount: 1)
        }
        #expect(try await bank.store.lastPosition() == 6)
        await bank.close()
    }

    @Test func aTransferRecordsBothLegsInOneBatch() async throws {
        let bank = try BankFixture()
        let (a, b) = (Account.ID.make(), Account.ID.make())
        try await bank.commands.open(account: a, owner: "Ada")
        try await bank.commands.open(account: b, owner: "Bob")
        try await bank.commands.deposit(account: a, amount: 100)
        let transfer = try await bank.commands.transfer(from: a, to: b, amount: 70)
        #expect(transfer.positions == 4...5)
        let legs = try await bank.store.readAll(from: 4, direction: .forward, limit: 10)
        #expect(legs.map(\.type) == ["Account.Withdrawn", "Account.Deposited"])
        #expect(Set(legs.map(\.recordedAtNanoseconds)).count == 1)
        #expect(try await bank.balance(a) == 30)
        #expect(try await bank.balance(b) == 70)
        await #expect(throws: TransferError.insufficientFunds) { try await bank.commands.transfer(from: a, to: b, amount: 31) }
        await #expect(throws: TransferError.sameAccount) { try await bank.commands.transfer(from: a, to: a, amount: 1) }
        #expect(try await bank.store.lastPosition() == 5)
        await bank.close()
    }

    @Test("concurrent commands on one account never lose an update")
    func concurrentCommands() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        // Separate processors (no shared cache) race on one account; retries settle it.
        let processors = (0..<4).map { _ in BankCommands(processor: CommandProcessor(store: bank.store, options: CommandProcessorOptions(maximumRetries: 50)), rules: BankRulebook()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for commands in processors {
                group.addTask { for _ in 0..<25 { try await commands.deposit(account: id, amount: 1) } }
            }
            try await group.waitForAll()
        }
        #expect(try await CommandProcessor(store: bank.store).load(Account.State.self, id: id).state.balance == 100)
        await bank.close()
    }
}

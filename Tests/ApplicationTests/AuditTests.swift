import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

@Suite("Command audit log")
struct AuditTests {
    @Test func everyCommandIsAuditedAcceptedOrNot() async throws {
        let bank = try BankFixture()
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada", context: CommandContext(actor: "teller-7"))
        bank.clock.advance(by: 86_400)
        let context = CommandContext(commandID: UUID(), actor: "app")
        try await bank.commands.deposit(account: id, amount: 40, context: context)
        try await bank.commands.deposit(account: id, amount: 40, context: context)  // replayed
        await #expect(throws: Account.WithdrawError.insufficientFunds) { try await bank.commands.withdraw(account: id, amount: 100, context: CommandContext(actor: "app")) }
        let entries = try AuditLog.entries(in: bank.store.path + "/audit")
        #expect(entries.map(\.command) == ["Account.Open", "Account.Deposit", "Account.Deposit", "Account.Withdraw"])
        #expect(entries.map(\.outcome) == [.accepted, .accepted, .replayed, .rejected])
        #expect(entries[0].actor == "teller-7")
        #expect(entries[1].at == entries[0].at.addingTimeInterval(86_400))
        #expect(entries[1].positions == 2...2)
        #expect(entries[1].payload.contains("\"amount\":40"))
        #expect(entries[3].reason == "insufficientFunds")
        #expect(entries[3].positions == nil)
        #expect(entries.allSatisfy { $0.durationMicroseconds >= 0 })

        // The CLI shows it, filtered.
        let rejected = try await CLIProcess.run(["audit", bank.store.path, "--rejected", "--json"], in: bank.folder)
        #expect(rejected.status == 0)
        #expect(rejected.stdout.split(separator: "\n").count == 1)
        #expect(rejected.stdout.contains("\"outcome\":\"rejected\""))
        let table = try await CLIProcess.run(["audit", bank.store.path, "--since", "2026-01-01T12:00:00Z"], in: bank.folder)
        #expect(table.stdout.split(separator: "\n").count == 4, "the title and the three commands of the next day: \(table.stdout)")
        await bank.close()
    }

    @Test func theAuditLogRotatesBySize() async throws {
        let folder = try TemporaryFolder()
        let log = try AuditLog(folder: folder.path, rotationSize: 1_000)
        for index in 0..<30 {
            log.record(AuditEntry(commandID: UUID(), command: "C", payload: "{\"n\":\(index)}", actor: nil, correlationID: nil, at: Date(),
                                  outcome: .accepted, reason: nil, positions: Int64(index)...Int64(index), durationMicroseconds: 1))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }
        #expect(files.count > 3)
        #expect(try AuditLog.entries(in: folder.path).map(\.payload) == (0..<30).map { "{\"n\":\($0)}" })
    }
}

import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

/// A store written by the first Bank schema (`Fixtures/BankV1`, where `Account.MessageSent`
/// was `Account.Notified` at version 1, without a channel), read by the current code: replayed,
/// its views rebuilt and compared with what the old code computed, queried as of past dates,
/// and reverted.
@Suite("A log written by an earlier Bank schema")
struct OldLogTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/BankV1").path
    static let ada = Account.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000000A")!)
    static let grace = Account.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000000B")!)
    static let linus = Account.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000000C")!)
    static let alan = Account.ID(UUID(uuidString: "00000000-0000-4000-8000-00000000000D")!)

    /// 09:00 UTC on day `day` of the fixture's history, plus `hours`.
    static func date(day: Int, hours: Double = 9) -> Date { Date(timeIntervalSince1970: 1_767_225_600 + Double(day * 86_400) + hours * 3_600) }

    /// A copy of the fixture's store in a temporary folder (reverts append to it).
    static func copyOfStore() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try FileManager.default.removeItem(atPath: folder.path)
        try FileManager.default.copyItem(atPath: fixture + "/store", toPath: folder.path)
        return folder
    }

    static func expected<View: Decodable>(_ type: View.Type, _ name: String) throws -> View {
        try JSONDecoder().decode(View.self, from: Data(contentsOf: URL(fileURLWithPath: fixture + "/\(name).json")))
    }

    @Test("every event decodes; version 1 Notified events read as MessageSent by letter")
    func decodes() async throws {
        let folder = try Self.copyOfStore()
        let store = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(readOnly: true))
        defer { Task { await store.close() } }
        let log = try await store.readAll(from: 1, direction: .forward, limit: .max)
        #expect(log.count == 20)
        #expect(log.allSatisfy { $0.schemaVersion == 1 })
        var messages: [String] = []
        for recorded in log {
            guard case .account(_, let event)? = try BankEvent.decode(recorded) else {
                Issue.record("position \(recorded.position): \(recorded.type) is not read")
                continue
            }
            if case .messageSent(let sent) = event {
                #expect(recorded.type == "Account.Notified")
                #expect(sent.channel == .letter)
                messages.append(sent.message)
            }
        }
        #expect(messages == ["Welcome to the bank", "Your statement is ready"])
        let readability = try await LogReadability.check(BankEvent.self, in: store)
        #expect(readability.failure == nil)
        #expect(readability.eventsRead == 20)
        #expect(readability.upcast == ["Account.Notified v1": 2])
    }

    @Test("replayed and rebuilt, the views equal what the first schema computed")
    func replaysAndRebuilds() async throws {
        let folder = try Self.copyOfStore()
        let views = try TemporaryFolder()
        let app = try await BankApp.open(folder: folder.path, viewsFolder: views.path, rules: BankRulebook())
        let expectedSummary = try Self.expected(AccountSummary.self, "AccountSummary")
        let expectedTotals = try Self.expected(BankTotals.self, "BankTotals")
        let expectedHistory = try Self.expected(AccountHistory.self, "AccountHistory")
        #expect(app.queries.accountSummary == expectedSummary)
        #expect(app.queries.bankTotals == expectedTotals)
        #expect(app.queries.accountHistory == expectedHistory)
        try await app.queries.views.rebuild()
        #expect(app.queries.accountSummary == expectedSummary)
        #expect(app.queries.bankTotals == expectedTotals)
        #expect(app.queries.accountHistory == expectedHistory)
        #expect(try await app.account(Self.ada) == Account.State(owner: "Ada Lovelace", balance: 7_800, status: .open))
        #expect(try await app.account(Self.grace) == Account.State(owner: "Grace Hopper", balance: 4_000, status: .open))
        #expect(try await app.account(Self.linus) == Account.State(owner: "Linus Torvalds", balance: 3_050, status: .open))
        #expect(try await app.account(Self.alan)?.status == .closed)
        try await app.close()
    }

    @Test("as of past dates, before and after the old revert")
    func asOf() async throws {
        let folder = try Self.copyOfStore()
        let app = try await BankApp.open(folder: folder.path, viewsFolder: nil, rules: BankRulebook())
        #expect(try await app.account(Self.grace, asOf: Self.date(day: 5, hours: 12)) == Account.State(owner: "Grace B. Hopper", balance: 4_777, status: .open))
        #expect(try await app.account(Self.grace, asOf: Self.date(day: 5, hours: 16)) == Account.State(owner: "Grace Hopper", balance: 4_000, status: .open))
        #expect(try await app.account(Self.alan, asOf: Self.date(day: 3, hours: 23)) == nil)
        let dayOne = try await app.queries.asOf(Self.date(day: 1, hours: 23))
        #expect(dayOne.bankTotals.row.balance == 14_500)
        #expect(try await app.queries.bankTotals(asOf: Self.date(day: 1, hours: 23), path: .walkBack) == dayOne.bankTotals)
        #expect(try await app.queries.bankTotals(asOf: Self.date(day: 1, hours: 23), path: .replay) == dayOne.bankTotals)
        try await app.close()
    }

    @Test("reverts across versions: refused over old irreversible events, exact after them, and old inverses redone")
    func reverts() async throws {
        let folder = try Self.copyOfStore()
        let app = try await BankApp.open(folder: folder.path, viewsFolder: nil, rules: BankRulebook())
        let store = app.timeMachine.store
        let end = try await store.lastPosition()
        // Two version 1 `Notified` events lie after day 1: they cannot be unsent. The refusal
        // names them as the log stores them.
        do {
            _ = try await app.revert(since: Self.date(day: 1, hours: 23), reason: "too far")
            Issue.record("the revert over sent messages was not refused")
        } catch RevertError.irreversible(let events) {
            #expect(events.map(\.type) == ["Account.Notified", "Account.Notified"])
            #expect(events.allSatisfy { $0.reason == "a sent message cannot be unsent" })
        }
        #expect(try await store.lastPosition() == end)

        // After day 3: Alan's account, the old revert pair and Linus's deposit are undone.
        let since = try await store.lastPosition(atOrBefore: Self.date(day: 3, hours: 23))
        let expected = try await app.queries.asOf(since)
        var states: [Account.ID: Account.State?] = [:]
        for id in [Self.ada, Self.grace, Self.linus, Self.alan] { states[id] = try await app.account(id, asOf: since) }
        _ = try await app.revert(since: since, reason: "law across versions", actor: "tester")
        #expect(app.queries.now == expected)
        for id in [Self.ada, Self.grace, Self.linus, Self.alan] {
            let now = try await app.account(id)
            #expect(now == states[id] ?? nil || (now?.balance == 0 && states[id] ?? nil == nil), "\(id)")
        }

        // The old schema's stored inverse of the rename (a version 1 `Renamed.Reverted`) is
        // redone by reverting it: the rename is back.
        let log = try await store.readAll(from: 1, direction: .forward, limit: .max)
        let oldInverse = try #require(log.first { $0.type == "Account.Renamed.Reverted" && $0.schemaVersion == 1 })
        let fresh = try Self.copyOfStore()
        let second = try await BankApp.open(folder: fresh.path, viewsFolder: nil, rules: BankRulebook())
        _ = try await second.revert(events: [oldInverse.id], reason: "the rename was right")
        #expect(try await second.account(Self.grace)?.owner == "Grace B. Hopper")
        #expect(second.queries.accountSummary.rows[Self.grace]?.owner == "Grace B. Hopper")

        // New messages are stored by version 2.
        let sent = try await second.commands.notify(account: Self.ada, message: "Rates change", channel: .email)
        let recorded = try #require(try await second.timeMachine.store.readAll(from: sent.lastPosition ?? 0, direction: .forward, limit: 1).first)
        #expect(recorded.type == "Account.MessageSent" && recorded.schemaVersion == 2)
        try await second.close()
        try await app.close()
    }

    @Test("a payload from a newer version, or from before version 1, is refused with the reason")
    func versionsOutOfReach() throws {
        func recorded(_ type: String, version: Int32, _ json: String) -> RecordedEvent {
            RecordedEvent(id: UUID(), type: type, schemaVersion: version, stream: Account.State.stream(for: Self.ada), streamVersion: 9, position: 9,
                          recordedAtNanoseconds: 0, correlationID: nil, causationID: nil, actor: nil, metadata: [:], payload: Array(json.utf8))
        }
        #expect {
            _ = try BankEvent.decode(recorded("Account.MessageSent", version: 3, #"{"message":"hi","channel":"pigeon"}"#))
        } throws: { error in
            "\(error)".contains("written by a newer schema (this one knows version 2)")
        }
        #expect {
            _ = try BankEvent.decode(recorded("Account.Notified", version: 0, #"{"message":"hi"}"#))
        } throws: { error in
            "\(error)".contains("no upcast from version 0")
        }
        #expect {
            _ = try BankEvent.decode(recorded("Account.Notified", version: 1, #"{"text":"hi"}"#))
        } throws: { error in
            "\(error)".contains("upcasting from version 1") && "\(error)".contains("missing member 'message'")
        }
    }
}

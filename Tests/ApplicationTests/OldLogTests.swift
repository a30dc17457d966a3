import Bank
import Loyalty
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

/// `chronicle can-read` and `chronicle cat --schema` on the old log.
extension OldLogTests {
    static let bankSchema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schemas/Bank/Bank.chronicle.yaml").path

    /// The Bank schema with `edit` applied, written into `folder`.
    static func editedSchema(_ old: String, _ new: String, in folder: TemporaryFolder) throws -> String {
        try editedSchema([(old, new)], in: folder)
    }

    static func editedSchema(_ edits: [(String, String)], in folder: TemporaryFolder) throws -> String {
        var text = try String(contentsOfFile: bankSchema, encoding: .utf8)
        for (old, new) in edits {
            #expect(text.contains(old))
            text = text.replacingOccurrences(of: old, with: new)
        }
        let path = folder.path + "/Bank.chronicle.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("can-read: exit 0 with the current schema, 1 at the first event a changed schema cannot read, 74 without a store")
    func canRead() async throws {
        let folder = try Self.copyOfStore()
        let readable = try await CLIProcess.run(["can-read", folder.path, "--schema", Self.bankSchema], in: folder)
        #expect(readable.status == 0, "\(readable.stderr)")
        #expect(readable.stdout == "read all 20 events\n  2 × Account.Notified v1, through upcasts or a former name\n")

        let work = try TemporaryFolder()
        let forgotten = try Self.editedSchema("        formerly: [Notified]\n", "", in: work)
        let unknown = try await CLIProcess.run(["can-read", folder.path, "--schema", forgotten], in: work)
        #expect(unknown.status == 1)
        #expect(unknown.stdout.hasPrefix("cannot read position 10: Account.Notified (version 1): no event of the schemas is stored under this name\nread 9 events before it\n"))

        let noValue = try Self.editedSchema("1: { added: { channel: letter } }", "1: {}", in: work)
        let missing = try await CLIProcess.run(["can-read", folder.path, "--schema", noValue], in: work)
        #expect(missing.status == 1)
        #expect(missing.stdout.hasPrefix("cannot read position 10: Account.Notified (version 1): after the upcasts, missing member 'channel'"), "\(missing.stdout)")

        let required = try Self.editedSchema([
            ("fields: { owner: String }\n        apply: { set: { owner: owner, status: open } }", "fields: { owner: String, branch: String }\n        apply: { set: { owner: owner, status: open } }"),
            ("        doc: Opens an account.\n        fields: { owner: String }", "        doc: Opens an account.\n        fields: { owner: String, branch: String }"),
        ], in: work)
        let branch = try await CLIProcess.run(["can-read", folder.path, "--schema", required], in: work)
        #expect(branch.stdout.hasPrefix("cannot read position 1: Account.Opened (version 1): missing member 'branch'"), "\(branch.stdout) \(branch.stderr)")

        let nowhere = try await CLIProcess.run(["can-read", work.path + "/none", "--schema", Self.bankSchema], in: work)
        #expect(nowhere.status == 74)
    }

    @Test("can-read: events behind a Swift upcast are counted, exit 2; the application's LogReadability reads them")
    func canReadStopsAtSwift() async throws {
        let folder = try TemporaryFolder()
        let store = try FlatFileEventStore(path: folder.path + "/store", options: FlatFileStoreOptions(segmentSize: 1 << 16))
        _ = try await store.append(AppendBatch(stream: StreamID("Member-m1"), events: [
            ProposedEvent(type: "Member.Joined", schemaVersion: 1, payload: Array(#"{"first":"Ada","last":"Lovelace","previous":{"name":"","tier":"basic"}}"#.utf8)),
            ProposedEvent(type: "Member.Promoted", schemaVersion: 1, payload: Array(#"{"tier":"bronze","by":"ops","previous":{"tier":"basic"}}"#.utf8)),
        ]))
        let readability = try await LogReadability.check(LoyaltyEvent.self, in: store)
        #expect(readability.failure == nil && readability.eventsRead == 2)
        #expect(readability.upcast == ["Member.Joined v1": 1, "Member.Promoted v1": 1])
        await store.close()
        let loyalty = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Loyalty/Loyalty.chronicle.yaml").path
        let outcome = try await CLIProcess.run(["can-read", folder.path + "/store", "--schema", loyalty], in: folder)
        #expect(outcome.status == 2)
        #expect(outcome.stdout == "read all 2 events\n  1 × Member.Promoted v1, through upcasts or a former name\n  1 × Member.Joined v1 need the application's Swift upcast: not checked here\n")
    }

    @Test("cat --schema shows the name and version each event has now")
    func catShowsCurrentVersions() async throws {
        let folder = try Self.copyOfStore()
        let lines = try await CLIProcess.run(["cat", folder.path, "--schema", Self.bankSchema, "--from", "9", "--to", "10"], in: folder).stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.contains(#""type":"Account.Deposited","schemaVersion":1,"currentType":"Account.Deposited","currentVersion":1,"#) == true)
        #expect(lines.last?.contains(#""type":"Account.Notified","schemaVersion":1,"currentType":"Account.MessageSent","currentVersion":2,"#) == true)
    }
}

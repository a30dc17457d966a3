import Bank
import Chronicle
import Foundation
import Loyalty
import Synchronization
import TestSupport
import Testing

/// View and snapshot files that cannot be trusted — edited, damaged, or of another log (a
/// restored backup) — are never served: they are rebuilt or ignored, with a warning. Checked on
/// two domains.
@Suite("Damaged and stale files")
struct DamagedFilesTests {
    /// Collects warnings.
    final class Warnings: Sendable {
        private let list = Mutex<[String]>([])
        var all: [String] { list.withLock { $0 } }
        var handler: @Sendable (String) -> Void { { message in self.list.withLock { $0.append(message) } } }
    }

    /// Changes one header field of a checksummed file (`chronicle-view 2 FINGERPRINT POSITION …`)
    /// without touching its checksum, as an editor would.
    static func editHeader(_ path: String, field: Int, to value: String) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let newline = try #require(data.firstIndex(of: UInt8(ascii: "\n")))
        var fields = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        fields[field] = value
        try Data(Array(fields.joined(separator: " ").utf8) + data[newline...]).write(to: URL(fileURLWithPath: path))
    }

    /// Replaces the store folder with a restore of `backup`, as an operator restoring in place does.
    static func restoreInPlace(_ backup: String, to store: String) throws {
        try FileManager.default.removeItem(atPath: store)
        _ = try StoreBackup.restore(backupAt: backup, to: store)
    }

    // MARK: Bank

    static func bankViews(_ queries: BankQueries) -> BankViews {
        BankViews(accountSummary: queries.accountSummary, accountHistory: queries.accountHistory, bankTotals: queries.bankTotals)
    }

    static func rebuiltBankViews(_ store: FlatFileEventStore) async throws -> BankViews {
        let rebuilt = try BankQueries(store: store, folder: nil)
        try await rebuilt.views.rebuild()
        return bankViews(rebuilt)
    }

    static func openBank(_ store: FlatFileEventStore, views: String, warnings: Warnings, projection: ProjectionMode = .inline) async throws -> BankApp {
        try await BankApp.open(store: store, viewsFolder: views, rules: BankRulebook(), projection: projection,
                               options: CommandProcessorOptions(onWarning: warnings.handler), viewOptions: ViewStoreOptions(onWarning: warnings.handler))
    }

    @Test("Bank: an edited view header is caught by the checksum; the view is rebuilt, with a warning")
    func bankEditedViewHeader() async throws {
        let folder = try TemporaryFolder()
        let warnings = Warnings()
        var store = try FlatFileEventStore(path: folder.sub("store"), options: .testing)
        var app = try await Self.openBank(store, views: folder.sub("views"), warnings: warnings)
        let id = Account.ID.make()
        try await app.commands.open(account: id, owner: "Ada")
        try await app.commands.deposit(account: id, amount: 105)
        try await app.close()
        await store.close()
        // The position moved back: the view would take a deposit again, and show 205.00.
        try Self.editHeader(folder.sub("views/AccountSummary.view"), field: 3, to: "1")
        store = try FlatFileEventStore(path: folder.sub("store"), options: .testing)
        app = try await Self.openBank(store, views: folder.sub("views"), warnings: warnings)
        #expect(app.queries.accountSummary.row(id)?.balance == 105)
        #expect(Self.bankViews(app.queries) == (try await Self.rebuiltBankViews(store)))
        #expect(app.queries.views.repairs.count == 1)
        #expect(warnings.all.contains { $0.contains("AccountSummary") && $0.contains("checksum") })
        try await app.close()
        await store.close()
    }

    @Test("Bank: views ahead of a restored log, or of another log of the same length, are rebuilt")
    func bankViewsOfAnotherLog() async throws {
        let folder = try TemporaryFolder()
        let warnings = Warnings()
        let storePath = folder.sub("store"), views = folder.sub("views")
        var store = try FlatFileEventStore(path: storePath, options: .testing)
        var app = try await Self.openBank(store, views: views, warnings: warnings)
        let id = Account.ID.make()
        try await app.commands.open(account: id, owner: "Ada")
        try await app.commands.deposit(account: id, amount: 10)
        await store.close()
        _ = try StoreBackup.backup(storeAt: storePath, to: folder.sub("backup"))
        store = try FlatFileEventStore(path: storePath, options: .testing)
        app = try await Self.openBank(store, views: views, warnings: warnings)
        for _ in 0..<5 { try await app.commands.deposit(account: id, amount: 100) }
        try await app.close()
        await store.close()

        // Restored in place: the views reflect 5 events the log no longer has.
        try Self.restoreInPlace(folder.sub("backup"), to: storePath)
        store = try FlatFileEventStore(path: storePath, options: .testing)
        app = try await Self.openBank(store, views: views, warnings: warnings)
        #expect(app.queries.accountSummary.row(id)?.balance == 10)
        #expect(app.queries.views.repairs.count == 3, "\(app.queries.views.repairs)")
        try await app.commands.deposit(account: id, amount: 1)
        #expect(app.queries.accountSummary.row(id)?.balance == 11, "new deposits show")
        #expect(Self.bankViews(app.queries) == (try await Self.rebuiltBankViews(store)))
        try await app.close()
        await store.close()

        // Restored again, then other events up to the same position, by a process without views.
        try Self.restoreInPlace(folder.sub("backup"), to: storePath)
        store = try FlatFileEventStore(path: storePath, options: .testing)
        let writer = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), projection: .none)
        try await writer.commands.deposit(account: id, amount: 7)
        try await writer.close()
        app = try await Self.openBank(store, views: views, warnings: warnings)
        #expect(app.queries.accountSummary.row(id)?.balance == 17)
        #expect(app.queries.views.repairs.contains { $0.contains("another event") })
        #expect(Self.bankViews(app.queries) == (try await Self.rebuiltBankViews(store)))
        try await app.close()
        await store.close()
    }

    // MARK: Loyalty

    static func loyaltyViews(_ queries: LoyaltyQueries) -> LoyaltyViews {
        LoyaltyViews(memberCard: queries.memberCard, scheme: queries.scheme, shopBoard: queries.shopBoard)
    }

    static func rebuiltLoyaltyViews(_ store: FlatFileEventStore) async throws -> LoyaltyViews {
        let rebuilt = try LoyaltyQueries(store: store, folder: nil)
        try await rebuilt.views.rebuild()
        return loyaltyViews(rebuilt)
    }

    static func openLoyalty(_ store: FlatFileEventStore, views: String, warnings: Warnings) async throws -> LoyaltyApp {
        try await LoyaltyApp.open(store: store, viewsFolder: views, rules: LoyaltyRulebook(), projection: .inline,
                                  options: CommandProcessorOptions(snapshotInterval: 2, onWarning: warnings.handler),
                                  viewOptions: ViewStoreOptions(onWarning: warnings.handler))
    }

    @Test("Loyalty: edited and damaged view files are rebuilt; views of a restored log too")
    func loyaltyViewFiles() async throws {
        let folder = try TemporaryFolder()
        let warnings = Warnings()
        let storePath = folder.sub("store"), views = folder.sub("views")
        var store = try FlatFileEventStore(path: storePath, options: .testing)
        var app = try await Self.openLoyalty(store, views: views, warnings: warnings)
        let member = Member.ID("m1")
        try await app.commands.join(member: member, name: "Ada")
        try await app.commands.earn(member: member, points: 40)
        try await app.commands.open(shop: Shop.ID(1), title: "Books")
        await store.close()
        _ = try StoreBackup.backup(storeAt: storePath, to: folder.sub("backup"))
        store = try FlatFileEventStore(path: storePath, options: .testing)
        app = try await Self.openLoyalty(store, views: views, warnings: warnings)
        try await app.commands.earn(member: member, points: 60)
        try await app.commands.redeem(member: member, shop: Shop.ID(1), item: "atlas", points: 30)
        try await app.close()
        await store.close()

        // One file edited (its fingerprint), one with a flipped byte in its body.
        try Self.editHeader(views + "/Scheme.view", field: 2, to: "0123456789abcdef")
        let card = views + "/MemberCard.view"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: card)))
        bytes[bytes.count - 4] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: card))
        store = try FlatFileEventStore(path: storePath, options: .testing)
        app = try await Self.openLoyalty(store, views: views, warnings: warnings)
        try await app.queries.views.catchUp()
        #expect(app.queries.views.repairs.count == 2, "\(app.queries.views.repairs)")
        #expect(Self.loyaltyViews(app.queries) == (try await Self.rebuiltLoyaltyViews(store)))
        try await app.close()
        await store.close()

        // Restored in place: every view is ahead of the log and is rebuilt.
        try Self.restoreInPlace(folder.sub("backup"), to: storePath)
        store = try FlatFileEventStore(path: storePath, options: .testing)
        app = try await Self.openLoyalty(store, views: views, warnings: warnings)
        #expect(app.queries.views.repairs.count == 3, "\(app.queries.views.repairs)")
        #expect(app.queries.memberCard.row(member)?.points == 40)
        #expect(Self.loyaltyViews(app.queries) == (try await Self.rebuiltLoyaltyViews(store)))
        try await app.close()
        await store.close()
    }

    @Test("Loyalty: a snapshot with an edited header, or of another log, is ignored with a warning")
    func loyaltySnapshots() async throws {
        let folder = try TemporaryFolder()
        let warnings = Warnings()
        // Two logs with the same member: a snapshot of one must not be taken for the other's.
        let first = try FlatFileEventStore(path: folder.sub("first"), options: .testing)
        let second = try FlatFileEventStore(path: folder.sub("second"), options: .testing)
        let member = Member.ID("m1")
        for (store, points) in [(first, 500), (second, 5)] {
            let app = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(), projection: .none,
                                                snapshots: FlatFileSnapshotStore(store: store), options: CommandProcessorOptions(snapshotInterval: 2))
            try await app.commands.join(member: member, name: "Ada")
            try await app.commands.earn(member: member, points: points)
        }
        let stream = Member.State.stream(for: member)
        let snapshot = try #require(try await FlatFileSnapshotStore(store: first).load(stream: stream))
        try await FlatFileSnapshotStore(store: second).save(snapshot, stream: stream)
        let processor = CommandProcessor(store: second, snapshots: FlatFileSnapshotStore(store: second), options: CommandProcessorOptions(onWarning: warnings.handler))
        // A replayed as-of state does not start from it either.
        let end = try await second.lastPosition()
        #expect(try await processor.state(Member.State.self, id: member, asOf: end, path: .replay).state.points == 5)
        #expect(try await processor.load(Member.State.self, id: member).state.points == 5)
        #expect(warnings.all.contains { $0.contains("does not hold its event") })

        // A header edited to a later version: the checksum catches it.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.sub("first/snapshots"))
        try Self.editHeader(folder.sub("first/snapshots/") + files[0], field: 2, to: "1")
        let cold = CommandProcessor(store: first, snapshots: FlatFileSnapshotStore(store: first), options: CommandProcessorOptions(onWarning: warnings.handler))
        #expect(try await cold.load(Member.State.self, id: member).state.points == 500)
        #expect(warnings.all.contains { $0.contains("checksum") })
        // The untrusted snapshots were replaced as they were passed over: no warning again.
        let given = warnings.all.count
        for store in [first, second] {
            let again = CommandProcessor(store: store, snapshots: FlatFileSnapshotStore(store: store), options: CommandProcessorOptions(onWarning: warnings.handler))
            _ = try await again.load(Member.State.self, id: member)
        }
        #expect(warnings.all.count == given, "\(warnings.all)")
        await first.close()
        await second.close()
    }

    @Test("temporary files of processes that died are removed when views and the writer open")
    func abandonedTemporariesAreRemoved() async throws {
        let folder = try TemporaryFolder()
        let views = folder.sub("views"), snapshots = folder.sub("store/snapshots")
        await (try FlatFileEventStore(path: folder.sub("store"), options: .testing)).close()
        try FileManager.default.createDirectory(atPath: views, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: snapshots, withIntermediateDirectories: true)
        // No process has a negative-looking or huge pid; this process is alive.
        let gone = "4194999", alive = String(getpid())
        for (dir, name) in [(views, "AccountSummary.view"), (snapshots, "Account-1.snapshot")] {
            for pid in [gone, alive] {
                try Data(repeating: 1, count: 100).write(to: URL(fileURLWithPath: "\(dir)/\(name).\(pid).tmp"))
            }
        }
        let store = try FlatFileEventStore(path: folder.sub("store"), options: .testing)
        let app = try await Self.openBank(store, views: views, warnings: Warnings())
        for dir in [views, snapshots] {
            let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tmp") }
            #expect(names.count == 1 && names[0].contains(alive), "\(dir): \(names)")
        }
        try await app.close()
        await store.close()
    }

    @Test("views whose last event is a revert reopen as they are, on Bank and Loyalty")
    func viewsEndingInARevertAreKept() async throws {
        let folder = try TemporaryFolder()
        let warnings = Warnings()
        let bankStore = try FlatFileEventStore(path: folder.sub("bank"), options: .testing)
        let bank = try await Self.openBank(bankStore, views: folder.sub("bank-views"), warnings: warnings)
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        let deposit = try await bank.commands.deposit(account: id, amount: 10)
        let depositID = try #require(try await bankStore.readAll(from: deposit.lastPosition ?? 0, direction: .forward, limit: 1).first?.id)
        _ = try await bank.revert(events: [depositID], reason: "wrong account")
        try await bank.close()
        let reopenedBank = try await Self.openBank(bankStore, views: folder.sub("bank-views"), warnings: warnings)
        try await reopenedBank.queries.views.catchUp()
        #expect(reopenedBank.queries.views.repairs.isEmpty, "\(reopenedBank.queries.views.repairs)")
        #expect(reopenedBank.queries.accountSummary.row(id)?.balance == 0)
        try await reopenedBank.close()
        await bankStore.close()

        let loyaltyStore = try FlatFileEventStore(path: folder.sub("loyalty"), options: .testing)
        let loyalty = try await Self.openLoyalty(loyaltyStore, views: folder.sub("loyalty-views"), warnings: warnings)
        let member = Member.ID("m1")
        try await loyalty.commands.join(member: member, name: "Ada")
        let earned = try await loyalty.commands.earn(member: member, points: 5)
        let earnedID = try #require(try await loyaltyStore.readAll(from: earned.lastPosition ?? 0, direction: .forward, limit: 1).first?.id)
        _ = try await loyalty.revert(events: [earnedID], reason: "wrong member")
        try await loyalty.close()
        let reopenedLoyalty = try await Self.openLoyalty(loyaltyStore, views: folder.sub("loyalty-views"), warnings: warnings)
        try await reopenedLoyalty.queries.views.catchUp()
        #expect(reopenedLoyalty.queries.views.repairs.isEmpty, "\(reopenedLoyalty.queries.views.repairs)")
        #expect(reopenedLoyalty.queries.memberCard.row(member)?.points == 0)
        try await reopenedLoyalty.close()
        await loyaltyStore.close()
        #expect(warnings.all.isEmpty, "\(warnings.all)")
    }
}


import Bank
import Chronicle
import Foundation
import TestSupport

/// A bank on a fresh flat-file store, with a clock tests move by hand.
struct BankFixture {
    let folder: TemporaryFolder
    let clock = ManualWallClock()
    let store: FlatFileEventStore
    let processor: CommandProcessor
    let commands: BankCommands

    init(snapshotInterval: Int = 100, maximumRetries: Int = 3, audit: Bool = true, folder: TemporaryFolder? = nil) throws {
        let folder = try folder ?? TemporaryFolder()
        self.folder = folder
        store = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(segmentSize: 256 << 10, clock: clock))
        processor = CommandProcessor(
            store: store, snapshots: FlatFileSnapshotStore(store: store), audit: audit ? try AuditLog(store: store) : nil,
            options: CommandProcessorOptions(maximumRetries: maximumRetries, snapshotInterval: snapshotInterval, clock: clock))
        commands = BankCommands(processor: processor, rules: BankRulebook())
    }

    func balance(_ id: Account.ID) async throws -> Money { try await processor.load(Account.State.self, id: id).state.balance }

    func close() async { await store.close() }
}

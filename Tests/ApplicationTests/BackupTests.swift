import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Backups")
struct BackupTests {
    /// Each stream's Account state, replayed from a store's events up to `position`.
    static func accountStates(_ store: FlatFileEventStore, through position: Int64) async throws -> [StreamID: Account.State] {
        var states: [StreamID: Account.State] = [:]
        for event in try await store.readAll(from: 1, direction: .forward, limit: Int(position)) {
            guard let decoded = try Account.Event.decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload) else { continue }
            try states[event.stream, default: Account.State()].apply(decoded)
        }
        return states
    }

    @Test("a backup taken while another process appends restores to a consistent prefix", .timeLimit(.minutes(10)))
    func backupDuringAppends() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store"), backup = folder.sub("backup"), restored = folder.sub("restored")
        let writer = try CLIProcess.start(
            ["bench", "append", "--store", store, "--events", "100000000", "--batch", "5", "--writers", "4", "--segment-size", "65536"], in: folder)
        defer { if writer.isRunning { writer.signal(SIGKILL) } }
        try await Task.sleep(for: .milliseconds(400))
        let first = try StoreBackup.backup(storeAt: store, to: backup)
        #expect(first.lastPosition > 0)
        #expect(first.copiedSegments > 1)
        try await Task.sleep(for: .milliseconds(300))
        // Again, through the CLI: only what changed is copied.
        let second = try await CLIProcess.run(["backup", store, backup, "--json"], in: folder)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("\"skippedSegments\":") && !second.stdout.contains("\"skippedSegments\":0"), "sealed segments are not copied again: \(second.stdout)")
        writer.signal(SIGKILL)
        await writer.waitUntilExit()

        let verified = try await CLIProcess.run(["verify", backup], in: folder)
        #expect(verified.status == 0, "\(verified.stderr)")
        let restore = try await CLIProcess.run(["restore", backup, restored], in: folder)
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try LogVerifier.verify(storeAt: restored).isIntact)

        let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: backup + "/backup-manifest.json")))
        let original = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        let copy = try FlatFileEventStore(path: restored, options: FlatFileStoreOptions(readOnly: true))
        #expect(try await copy.lastPosition() == manifest.lastPosition)
        #expect(manifest.lastPosition >= first.lastPosition)
        #expect(try await original.lastPosition() >= manifest.lastPosition)
        // The restored log is exactly the original's prefix, and replays to the same states.
        let prefix = try await original.readAll(from: 1, direction: .forward, limit: Int(manifest.lastPosition))
        #expect(try await copy.readAll(from: 1, direction: .forward, limit: .max) == prefix)
        #expect(try await Self.accountStates(copy, through: manifest.lastPosition) == (try await Self.accountStates(original, through: manifest.lastPosition)))

        // A restored store takes appends again.
        let writable = try FlatFileEventStore(path: restored, options: .testing)
        try await writable.append(to: "after-restore", [ProposedEvent(type: "T", payload: [1])])
        await writable.close()
    }

    struct Manifest: Decodable { var lastPosition: Int64 }

    @Test func aDamagedBackupIsNotRestored() async throws {
        let folder = try TemporaryFolder()
        let store = try FlatFileEventStore(path: folder.sub("store"), options: .testing)
        for index in 0..<100 { try await store.append(to: "S", [ProposedEvent(type: "T", payload: Array("{\"n\":\(index)}".utf8))]) }
        await store.close()
        _ = try StoreBackup.backup(storeAt: folder.sub("store"), to: folder.sub("backup"))
        let segment = folder.sub("backup/log/segment-00000001.log")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[500] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(throws: EventStoreError.self) { try StoreBackup.restore(backupAt: folder.sub("backup"), to: folder.sub("restored")) }
        #expect(!FileManager.default.fileExists(atPath: folder.sub("restored/log")))
        let verify = try await CLIProcess.run(["verify", folder.sub("backup")], in: folder)
        #expect(verify.status == 1)
    }
}

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
            ["workload", "--store", store, "--events", "100000000", "--batch", "5", "--writers", "4", "--segment-size", "65536"], in: folder, executable: CLIProcess.workload)
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

    struct Manifest: Decodable {
        struct File: Decodable { var bytes: Int64 }
        var lastPosition: Int64
        var files: [File]?
    }

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

    /// A store of `batches` batches of 100 events, backed up to `backup`.
    static func backedUpStore(_ folder: TemporaryFolder, batches: Int, payload: Int = 16) async throws -> Int64 {
        let store = try FlatFileEventStore(path: folder.sub("store"), options: .testing)
        let body = Array("{\"pad\":\"\(String(repeating: "x", count: payload))\"}".utf8)
        for _ in 0..<batches {
            try await store.append(to: "S", (0..<100).map { _ in ProposedEvent(type: "T", payload: body) })
        }
        let last = try await store.lastPosition()
        await store.close()
        _ = try StoreBackup.backup(storeAt: folder.sub("store"), to: folder.sub("backup"))
        return last
    }

    @Test("a backup without a readable manifest, or not matching it, is refused and nothing is written")
    func untrustedBackupsAreRefused() async throws {
        let folder = try TemporaryFolder()
        _ = try await Self.backedUpStore(folder, batches: 3)
        let manifest = folder.sub("backup/backup-manifest.json")
        let original = try Data(contentsOf: URL(fileURLWithPath: manifest))
        let segment = folder.sub("backup/log/segment-00000001.log")
        let segmentBytes = try Data(contentsOf: URL(fileURLWithPath: segment))

        func refused(_ why: String) {
            #expect(throws: EventStoreError.self, "\(why)") { try StoreBackup.restore(backupAt: folder.sub("backup"), to: folder.sub("restored")) }
            #expect(!FileManager.default.fileExists(atPath: folder.sub("restored")), "\(why): nothing written")
        }
        // No manifest, with the last record damaged: the verifier alone would take the damage
        // for an unfinished write, and the next writer would cut off an event of the backup.
        try FileManager.default.removeItem(atPath: manifest)
        var damaged = [UInt8](segmentBytes)
        let end = try #require(try JSONDecoder().decode(Manifest.self, from: original).files?.last?.bytes)
        damaged[Int(end) - 6] ^= 0x10
        try Data(damaged).write(to: URL(fileURLWithPath: segment))
        refused("no manifest")
        try Data("{ garbled".utf8).write(to: URL(fileURLWithPath: manifest))
        refused("a garbled manifest")
        try original.write(to: URL(fileURLWithPath: manifest))
        refused("the last record damaged")
        // The log cut short after its last record, and the manifest's length with it: the
        // checksums of what is left match, but the log no longer ends where the manifest says.
        try segmentBytes.write(to: URL(fileURLWithPath: segment))
        try FileManager.default.copyItem(atPath: segment, toPath: folder.sub("backup/log/segment-00000002.log"))
        refused("a segment the manifest does not list")
        try FileManager.default.removeItem(atPath: folder.sub("backup/log/segment-00000002.log"))
        // Whole again: it restores.
        #expect(try StoreBackup.restore(backupAt: folder.sub("backup"), to: folder.sub("restored")) == 300)
        #expect(try LogVerifier.verify(storeAt: folder.sub("restored")).isIntact)
    }

    @Test("a restore killed at any moment leaves nothing or the whole store, and runs again", .timeLimit(.minutes(10)))
    func killedRestoreIsAtomicAndRetryable() async throws {
        let folder = try TemporaryFolder()
        let events = try await Self.backedUpStore(folder, batches: 120, payload: 1_500)
        let restored = folder.sub("restored")
        // What a restore killed while copying leaves: a half-built store beside the target.
        let leftover = restored + ".restoring"
        try FileManager.default.createDirectory(atPath: leftover + "/log", withIntermediateDirectories: true)
        try Data("chronicle-store 1\n".utf8).write(to: URL(fileURLWithPath: leftover + "/chronicle-store"))
        try Data([UInt8](repeating: 7, count: 1_000)).write(to: URL(fileURLWithPath: leftover + "/log/segment-00000001.log"))
        #expect(try StoreBackup.restore(backupAt: folder.sub("backup"), to: restored) == events)
        #expect(!FileManager.default.fileExists(atPath: leftover))
        try FileManager.default.removeItem(atPath: restored)
        for round in 0..<4 {
            let process = try CLIProcess.start(["restore", folder.sub("backup"), restored], in: folder)
            try await Task.sleep(for: .milliseconds([5, 40, 120, 300][round]))
            process.signal(SIGKILL)
            await process.waitUntilExit()
            if FileManager.default.fileExists(atPath: restored) {
                // It finished before the kill: the whole store is there.
                let report = try LogVerifier.verify(storeAt: restored)
                #expect(report.isIntact && report.events == events)
                try FileManager.default.removeItem(atPath: restored)
            }
            // Whatever the kill left, a second restore completes.
            let again = try await CLIProcess.run(["restore", folder.sub("backup"), restored], in: folder)
            #expect(again.status == 0, "\(again.stderr)")
            let report = try LogVerifier.verify(storeAt: restored)
            #expect(report.isIntact && report.events == events)
            #expect(!FileManager.default.fileExists(atPath: restored + ".restoring"))
            try FileManager.default.removeItem(atPath: restored)
        }
    }
}

import Chronicle
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Readers in other processes beside a busy writer: they read exactly the committed log, never
/// call a write in progress damage, and still report real damage.
@Suite("Readers beside a live writer")
struct LiveWriterTests {
    @Test("verify, stats, cat, backup and a follower never report damage that is not there; real damage is reported", .timeLimit(.minutes(10)))
    func readersBesideABusyWriter() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        // Eight writers with small segments: writes in progress and new segments all the time.
        // The rate is capped so that the log, which every reader run reads whole, stays small
        // enough for a busy machine.
        let writer = try CLIProcess.start(
            ["workload", "--store", store, "--events", "100000000", "--batch", "1", "--writers", "8",
             "--segment-size", "1048576", "--rate", "500", "--print-acks"], in: folder, executable: CLIProcess.workload)
        defer { writer.signal(SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(300)
        // Start reading once the log holds more than the 50 events `cat` prints.
        while CLIProcess.read(writer.stdout).split(separator: "\n").count < 100, writer.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(writer.isRunning, "the writer is appending: \(CLIProcess.read(writer.stderr))")

        // A follower in this process, reading read-only like another process would.
        let follower = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        let following = Task {
            var seen: Int64 = 0
            while !Task.isCancelled {
                let end = try await follower.lastPosition()
                if end > seen {
                    let events = try await follower.readAll(from: seen + 1, direction: .forward, limit: Int(end - seen))
                    #expect(events.first?.position == seen + 1 && events.last?.position == end, "every committed event once, in order")
                    seen = end
                }
                try? await Task.sleep(for: .milliseconds(2))
            }
            return seen
        }

        var readerRuns = 0
        var backups = 0
        for round in 0..<13 {
            let verify = try await CLIProcess.run(["verify", store], in: folder)
            #expect(verify.status == 0, "round \(round): verify: \(verify.stderr)")
            let stats = try await CLIProcess.run(["stats", store, "--json"], in: folder)
            #expect(stats.status == 0, "round \(round): stats: \(stats.stderr)")
            let cat = try await CLIProcess.run(["cat", store, "--from", "1", "--to", "50"], in: folder)
            #expect(cat.status == 0 && cat.stdout.split(separator: "\n").count == 50, "round \(round): cat: \(cat.stderr)")
            let backup = try await CLIProcess.run(["backup", store, folder.sub("backup")], in: folder)
            #expect(backup.status == 0, "round \(round): backup: \(backup.stderr)")
            if backup.status == 0 { backups += 1 }
            readerRuns += 4
        }
        #expect(writer.isRunning, "the writer appended during every reader run")
        #expect(readerRuns >= 50)

        // The last online backup verifies and restores.
        let verifiedBackup = try await CLIProcess.run(["verify", folder.sub("backup")], in: folder)
        #expect(verifiedBackup.status == 0, "\(verifiedBackup.stderr)")
        let restore = try await CLIProcess.run(["restore", folder.sub("backup"), folder.sub("restored")], in: folder)
        #expect(restore.status == 0, "\(restore.stderr)")
        let restored = try FlatFileEventStore(path: folder.sub("restored"), options: FlatFileStoreOptions(readOnly: true))
        #expect(try await restored.lastPosition() > 0)

        // Real damage in a committed record is reported while the writer goes on appending.
        let segment = store + "/log/segment-00000001.log"
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: segment))
        try file.seek(toOffset: 1_000)
        let original = try file.read(upToCount: 1) ?? Data([0])
        try file.seek(toOffset: 1_000)
        try file.write(contentsOf: Data([original[0] ^ 0xFF]))
        try file.close()
        let damaged = try await CLIProcess.run(["verify", store], in: folder)
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains("segment-00000001.log:"), "\(damaged.stderr)")
        #expect(writer.isRunning)

        following.cancel()
        let followed = try await following.value
        #expect(followed > 0)
        await writer.terminate()
        #expect(backups == 13)
    }
}

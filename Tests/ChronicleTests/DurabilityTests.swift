import Chronicle
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Durability and recovery of the flat-file store")
struct DurabilityTests {
    /// Every complete line of an acks file, as positions.
    static func acknowledged(_ path: String) -> [Int64] {
        let text = CLIProcess.read(path)
        // A line without its newline may be cut short by the kill: only count complete ones.
        return text.split(separator: "\n", omittingEmptySubsequences: true)
            .dropLast(text.hasSuffix("\n") ? 0 : 1)
            .compactMap { Int64($0) }
    }

    static func allEvents(_ store: FlatFileEventStore) async throws -> [RecordedEvent] {
        try await store.readAll(from: 1, direction: .forward, limit: .max)
    }

    @Test("SIGKILL during appends loses no acknowledged event", .timeLimit(.minutes(10)))
    func killDuringAppends() async throws {
        let folder = try TemporaryFolder()
        let storePath = folder.sub("store")
        var generator = SystemRandomNumberGenerator()
        var previousCount: Int64 = 0
        var rounds = 0
        var roundsWithAcks = 0
        for round in 0..<16 {
            let writers = [1, 4, 16][round % 3]
            let batch = [1, 3, 10][(round / 3) % 3]
            let process = try CLIProcess.start(
                ["workload", "--store", storePath, "--events", "10000000", "--batch", "\(batch)",
                 "--writers", "\(writers)", "--segment-size", "262144", "--print-acks"], in: folder, executable: CLIProcess.workload)
            let stdout = process.stdout
            // Kill at a random moment once the writer is appending (it starts slower when the
            // machine is busy).
            let deadline = ContinuousClock.now + .seconds(300)
            while Self.acknowledged(stdout).isEmpty, process.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...150, using: &generator)))
            process.signal(SIGKILL)
            await process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer was killed, not finished")
            let acks = Self.acknowledged(stdout)
            let store = try FlatFileEventStore(path: storePath, options: FlatFileStoreOptions(segmentSize: 262_144))
            let events = try await Self.allEvents(store)
            let last = events.last?.position ?? 0
            #expect(events.map(\.position) == Array(stride(from: 1, through: last, by: 1)), "round \(round): gapless log")
            if let maxAck = acks.max() {
                roundsWithAcks += 1
                #expect(maxAck <= last, "round \(round): acknowledged position \(maxAck) is missing (log ends at \(last))")
                #expect(Set(acks).count == acks.count, "round \(round): no position acknowledged twice")
            }
            #expect(last >= previousCount, "round \(round): events of earlier rounds are still there")
            previousCount = last
            await store.close()
            let report = try LogVerifier.verify(storeAt: storePath)
            #expect(report.isIntact, "round \(round): log verifies after reopen: \(String(describing: report.damage ?? nil))")
            rounds += 1
        }
        #expect(rounds == 16)
        #expect(roundsWithAcks == 16, "every round got events acknowledged before the kill")
    }

    /// Writes `count` single-event batches to a store with 1 MiB segments; returns the first
    /// segment's path, its frames' offsets, and where its data ends.
    static func makeStore(_ path: String, events count: Int) async throws -> (segment: String, frames: [Int64], end: Int64) {
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 20))
        for index in 0..<count {
            try await store.append(to: StreamID("S\(index % 7)"), [ProposedEvent(type: "T", payload: Array("{\"n\":\(index)}".utf8))])
        }
        await store.close()
        let segment = path + "/log/segment-00000001.log"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        var frames: [Int64] = []
        var offset = 16
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            if length == 0 { break }  // the zero-filled, preallocated rest of the segment
            frames.append(Int64(offset))
            offset += length + 12
        }
        return (segment, frames, Int64(offset))
    }

    static func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("a bit flip in the middle fails verify and open with file and offset", arguments: [0, 57, 120])
    func bitFlipInTheMiddle(record: Int) async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let (segment, frames, _) = try await Self.makeStore(path, events: 200)
        let damaged = frames[record]
        // Flip one bit in the record's payload area, and another in a length field for record 120.
        try Self.modify(segment) { bytes in
            let at = Int(damaged) + (record == 120 ? 1 : 30)
            bytes[at] ^= 0x10
        }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.damage?.file == segment)
        #expect(report.damage?.offset == damaged)
        #expect(throws: EventStoreError.self) { try FlatFileEventStore(path: path, options: .testing) }
        do {
            _ = try FlatFileEventStore(path: path, options: .testing)
        } catch let EventStoreError.corrupted(file, offset, _) {
            #expect(file == segment)
            #expect(offset == damaged)
        }
        let readOnly = Result { try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true)) }
        #expect(throws: EventStoreError.self) { try readOnly.get() }
        let cli = try await CLIProcess.run(["verify", path], in: folder)
        #expect(cli.status == 1)
        #expect(cli.stderr.contains("\(segment):\(damaged): error: damaged log"))
        // Nothing was changed by the failed opens.
        let again = try LogVerifier.verify(storeAt: path)
        #expect(again.damage == report.damage)
    }

    @Test("garbage at the tail is reported, cut on open and kept in recovered/; nothing else is lost")
    func garbageAtTheTail() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let (segment, frames, end) = try await Self.makeStore(path, events: 50)
        #expect(frames.count == 50)
        let garbage: [UInt8] = (0..<300).map { _ in UInt8.random(in: 1...255) }
        try Self.modify(segment) { $0.replaceSubrange(Int(end)..<Int(end) + 300, with: garbage) }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.damage == nil)
        #expect(report.tornTail == TornTail(file: segment, offset: end, length: 300))
        let cli = try await CLIProcess.run(["verify", path], in: folder)
        #expect(cli.status == 3)
        #expect(cli.stderr.contains("torn tail of 300 bytes"))

        let store = try FlatFileEventStore(path: path, options: .testing)
        #expect(store.tornTailAtOpen?.offset == end)
        #expect(try await Self.allEvents(store).count == 50)
        try await store.append(to: "after", [ProposedEvent(type: "T", payload: [1])])
        await store.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
        let salvaged = try Data(contentsOf: URL(fileURLWithPath: path + "/recovered/segment-00000001.log.offset-\(end).torn"))
        #expect([UInt8](salvaged) == garbage)
    }

    @Test("garbage appended after the end of the segment file is cut on open too")
    func garbageAfterTheFile() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let (segment, _, end) = try await Self.makeStore(path, events: 20)
        try Self.modify(segment) { $0 += [0xFF, 0x13, 0x37] }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.tornTail?.offset == end)
        let store = try FlatFileEventStore(path: path, options: .testing)
        #expect(try await Self.allEvents(store).count == 20)
        await store.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
    }

    @Test("a torn last record (its last bytes never reached the disk) is cut on open")
    func tornLastRecord() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let (segment, frames, end) = try await Self.makeStore(path, events: 30)
        try Self.modify(segment) { bytes in
            for index in Int(end) - 7..<Int(end) { bytes[index] = 0 }
        }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.tornTail?.offset == frames[29])
        let store = try FlatFileEventStore(path: path, options: .testing)
        #expect(try await Self.allEvents(store).count == 29)
        await store.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
    }

    @Test("a second writer gets a clear error, in this process and in another")
    func secondWriter() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let first = try FlatFileEventStore(path: path, options: .testing)
        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(throws: EventStoreError.locked(path: path, holder: "process \(pid)")) { try FlatFileEventStore(path: path, options: .testing) }
        let other = try await CLIProcess.run(["workload", "--store", path, "--events", "1"], in: folder, executable: CLIProcess.workload)
        #expect(other.status == 1)
        #expect(other.stderr.contains("already open for writing by process \(pid)"))
        // Readers are welcome meanwhile.
        let reader = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
        #expect(try await reader.lastPosition() == 0)
        await first.close()
        let second = try FlatFileEventStore(path: path, options: .testing)
        await second.close()
    }

    @Test("deleting write.lock under a running writer does not let a second writer in")
    func deletedLockFile() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let first = try FlatFileEventStore(path: path, options: .testing)
        let acknowledged = try await first.append(to: StreamID("S"), [ProposedEvent(type: "T", payload: Array("{}".utf8))])
        try FileManager.default.removeItem(atPath: path + "/write.lock")
        // The lock is on the store folder, which a deleted file does not release.
        #expect(throws: EventStoreError.self) { try FlatFileEventStore(path: path, options: .testing) }
        let other = try await CLIProcess.run(["workload", "--store", path, "--events", "5"], in: folder, executable: CLIProcess.workload)
        #expect(other.status == 1, "a second process must not write: \(other.stdout)")
        #expect(other.stderr.contains("already open for writing"), "\(other.stderr)")
        // The first writer goes on, and nothing it acknowledged was overwritten.
        try await first.append(to: StreamID("S"), [ProposedEvent(type: "T", payload: Array("{}".utf8))])
        await first.close()
        let reopened = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
        let events = try await reopened.readAll(from: 1, direction: .forward, limit: 10)
        #expect(events.map(\.position) == [1, 2])
        #expect(events.first?.id == (try await first.readAll(from: acknowledged.firstPosition, direction: .forward, limit: 1)).first?.id)
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
    }

    @Test("a deleted last segment is reported, not taken for a shorter log")
    func deletedLastSegment() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 4096))
        for index in 0..<200 {
            try await store.append(to: StreamID("S\(index % 3)"), [ProposedEvent(type: "T", payload: Array(repeating: 7, count: 100))])
        }
        await store.close()
        let segments = try FileManager.default.contentsOfDirectory(atPath: path + "/log").filter { $0.hasSuffix(".log") }.sorted()
        try #require(segments.count > 2)
        try FileManager.default.removeItem(atPath: path + "/log/" + segments[segments.count - 1])
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.damage?.reason.contains("is missing") == true, "\(report)")
        let cli = try await CLIProcess.run(["verify", path], in: folder)
        #expect(cli.status == 1)
        #expect(throws: EventStoreError.self) { try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 4096)) }
    }

    /// Runs the synthetic workload until the file system refuses a write, then checks that exactly the
    /// acknowledged events are in the log and that it verifies.
    static func appendUntilFull(store path: String, in folder: TemporaryFolder, shellPrefix: String?, expecting message: String) async throws {
        let process = try CLIProcess.start(
            ["workload", "--store", path, "--events", "1000000", "--batch", "7", "--writers", "4",
             "--segment-size", "\(1 << 20)", "--print-acks"],
            in: folder, shellPrefix: shellPrefix, executable: CLIProcess.workload)
        let stdout = process.stdout
        let stderr = process.stderr
        await process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let error = CLIProcess.read(stderr)
        #expect(error.contains(message), "clear error, got: \(error)")
        let acks = acknowledged(stdout)
        #expect(!acks.isEmpty)
        #expect(try LogVerifier.verify(storeAt: path).isIntact, "no partial record left behind")
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
        let events = try await allEvents(store)
        #expect(events.count == acks.count, "exactly the acknowledged events are in the log")
        #expect(Set(events.map(\.position)) == Set(acks))
    }

    @Test("a file size limit (RLIMIT_FSIZE) fails the append cleanly; nothing half-written after reopen")
    func fileSizeLimit() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        await (try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 20))).close()
        // bash's `ulimit -f` counts 1 KiB blocks; with SIGXFSZ ignored, writes past the limit fail
        // with EFBIG, the first one after writing part of its bytes.
        try await Self.appendUntilFull(store: path, in: folder, shellPrefix: "trap '' XFSZ; ulimit -f 300", expecting: "write failed: File too large")
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 20))
        #expect(store.tornTailAtOpen == nil)
        try await store.append(to: "after", [ProposedEvent(type: "T", payload: [1])])
        await store.close()
    }

    @Test("a full disk (a small tmpfs) fails the append cleanly; nothing half-written after reopen",
          .enabled(if: TmpfsMount.isAvailable, "needs permission to mount a tmpfs (root)"))
    func fullDisk() async throws {
        let folder = try TemporaryFolder()
        let mount = try TmpfsMount(at: folder.sub("disk"), megabytes: 5)
        defer { mount.unmount() }
        let path = mount.path + "/store"
        try await Self.appendUntilFull(store: path, in: folder, shellPrefix: nil, expecting: "No space left on device")
        // The writer opens again, and a reader reads everything.
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 20))
        #expect(store.tornTailAtOpen == nil)
        await store.close()
    }
}

/// A small tmpfs, for filling a disk for real. Mounting needs root; tests that use it are
/// skipped elsewhere (CI runs as root).
struct TmpfsMount {
    let path: String

    static let isAvailable: Bool = {
        guard let probe = try? TemporaryFolder(), let mount = try? TmpfsMount(at: probe.sub("probe"), megabytes: 1) else { return false }
        mount.unmount()
        return true
    }()

    struct Failed: Error {}

    init(at path: String, megabytes: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed() }
        self.path = path
    }

    func unmount() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = [path]
        try? process.run()
        process.waitUntilExit()
    }
}

extension DurabilityTests {
    @Test("a next segment prepared by an earlier writer is kept and used, not written again")
    func preparedSegmentIsReused() async throws {
        let folder = try TemporaryFolder()
        let options = FlatFileStoreOptions(segmentSize: 64 << 10)
        var store = try FlatFileEventStore(path: folder.sub("store"), options: options)
        let payload = Array("{\"text\":\"\(String(repeating: "p", count: 2_000))\"}".utf8)
        // Past half of the first segment: the next one is prepared in the background.
        for _ in 0..<20 { try await store.append(to: "S", [ProposedEvent(type: "T", payload: payload)]) }
        await store.close()
        let next = folder.sub("store/log/segment-00000002.log.next")
        let before = try #require(try FileManager.default.attributesOfItem(atPath: next)[.systemFileNumber] as? Int)
        store = try FlatFileEventStore(path: folder.sub("store"), options: options)
        #expect(try FileManager.default.attributesOfItem(atPath: next)[.systemFileNumber] as? Int == before, "kept as it was")
        for _ in 0..<40 { try await store.append(to: "S", [ProposedEvent(type: "T", payload: payload)]) }
        let inPlace = try FileManager.default.attributesOfItem(atPath: folder.sub("store/log/segment-00000002.log"))[.systemFileNumber] as? Int
        #expect(inPlace == before, "the prepared file became segment 2")
        #expect(try await store.lastPosition() == 60)
        await store.close()
        #expect(try LogVerifier.verify(storeAt: folder.sub("store")).isIntact)
    }
}

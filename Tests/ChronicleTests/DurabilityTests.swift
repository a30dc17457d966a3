import Chronicle
import Foundation
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

    @Test("SIGKILL during appends loses no acknowledged event", .timeLimit(.minutes(3)))
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
            let (process, stdout, _) = try CLIProcess.start(
                ["bench", "append", "--store", storePath, "--events", "10000000", "--batch", "\(batch)",
                 "--writers", "\(writers)", "--print-acks"], in: folder)
            try await Task.sleep(for: .milliseconds(Int.random(in: 40...250, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the writer was killed, not finished")
            let acks = Self.acknowledged(stdout)
            let store = try FlatFileEventStore(path: storePath)
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
        #expect(roundsWithAcks >= 8, "most rounds got events acknowledged before the kill")
    }

    /// Writes `count` single-event batches and returns the frames' offsets in the last segment.
    static func makeStore(_ path: String, events count: Int) async throws -> (segment: String, frames: [Int64]) {
        let store = try FlatFileEventStore(path: path)
        for index in 0..<count {
            try await store.append(to: StreamID("S\(index % 7)"), [ProposedEvent(type: "T", payload: Array("{\"n\":\(index)}".utf8))])
        }
        await store.close()
        let segment = path + "/log/segment-00000001.log"
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        var frames: [Int64] = []
        var offset = 16
        while offset < bytes.count {
            frames.append(Int64(offset))
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += length + 12
        }
        return (segment, frames)
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
        let (segment, frames) = try await Self.makeStore(path, events: 200)
        let damaged = frames[record]
        // Flip one bit in the record's payload area, and another in a length field for record 120.
        try Self.modify(segment) { bytes in
            let at = Int(damaged) + (record == 120 ? 1 : 30)
            bytes[at] ^= 0x10
        }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.damage?.file == segment)
        #expect(report.damage?.offset == damaged)
        #expect(throws: EventStoreError.self) { try FlatFileEventStore(path: path) }
        do {
            _ = try FlatFileEventStore(path: path)
        } catch let EventStoreError.corrupted(file, offset, _) {
            #expect(file == segment)
            #expect(offset == damaged)
        }
        let readOnly = Result { try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true)) }
        #expect(throws: EventStoreError.self) { try readOnly.get() }
        let cli = try CLIProcess.run(["verify", path], in: folder)
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
        let (segment, frames) = try await Self.makeStore(path, events: 50)
        let cleanSize = try FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int ?? 0
        let garbage: [UInt8] = (0..<300).map { _ in UInt8.random(in: 0...255) }
        try Self.modify(segment) { $0 += garbage }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.damage == nil)
        #expect(report.tornTail == TornTail(file: segment, offset: Int64(cleanSize), length: 300))
        let cli = try CLIProcess.run(["verify", path], in: folder)
        #expect(cli.status == 3)
        #expect(cli.stderr.contains("torn tail of 300 bytes"))

        let store = try FlatFileEventStore(path: path)
        #expect(store.tornTailAtOpen?.offset == Int64(cleanSize))
        let events = try await Self.allEvents(store)
        #expect(events.count == 50)
        #expect(frames.count == 50)
        try await store.append(to: "after", [ProposedEvent(type: "T", payload: [1])])
        await store.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
        let salvaged = try Data(contentsOf: URL(fileURLWithPath: path + "/recovered/segment-00000001.log.offset-\(cleanSize).torn"))
        #expect([UInt8](salvaged) == garbage)
    }

    @Test("a torn last record (cut mid-write) is cut on open")
    func tornLastRecord() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let (segment, frames) = try await Self.makeStore(path, events: 30)
        try Self.modify(segment) { $0.removeLast(7) }
        let report = try LogVerifier.verify(storeAt: path)
        #expect(report.tornTail?.offset == frames[29])
        let store = try FlatFileEventStore(path: path)
        #expect(try await Self.allEvents(store).count == 29)
        await store.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
    }

    @Test("a second writer gets a clear error, in this process and in another")
    func secondWriter() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let first = try FlatFileEventStore(path: path)
        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(throws: EventStoreError.locked(path: path, holder: "process \(pid)")) { try FlatFileEventStore(path: path) }
        let other = try CLIProcess.run(["bench", "append", "--store", path, "--events", "1"], in: folder)
        #expect(other.status == 1)
        #expect(other.stderr.contains("already open for writing by process \(pid)"))
        // Readers are welcome meanwhile.
        let reader = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
        #expect(try await reader.lastPosition() == 0)
        await first.close()
        let second = try FlatFileEventStore(path: path)
        await second.close()
    }

    @Test("a full disk (file size limit) fails the append cleanly; nothing half-written after reopen")
    func fullDisk() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        // bash's `ulimit -f` counts 1 KiB blocks; ignoring SIGXFSZ turns the limit into EFBIG errors.
        let (process, stdout, stderr) = try CLIProcess.start(
            ["bench", "append", "--store", path, "--events", "100000", "--batch", "7", "--writers", "4", "--print-acks"],
            in: folder, shellPrefix: "trap '' XFSZ; ulimit -f 256")
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let message = CLIProcess.read(stderr)
        #expect(message.contains("write failed: File too large"), "clear error, got: \(message)")
        let acks = Self.acknowledged(stdout)
        #expect(!acks.isEmpty)
        #expect(try LogVerifier.verify(storeAt: path).isIntact, "no partial record left behind")
        let store = try FlatFileEventStore(path: path)
        #expect(store.tornTailAtOpen == nil)
        let events = try await Self.allEvents(store)
        #expect(events.count == acks.count, "exactly the acknowledged events are in the log")
        #expect(Set(events.map(\.position)) == Set(acks))
        try await store.append(to: "after", [ProposedEvent(type: "T", payload: [1])])
        await store.close()
    }
}

import Chronicle
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Readers alongside a writer")
struct ReaderTests {
    @Test("a read-only store subscribes to a log another process is writing", .timeLimit(.minutes(10)))
    func subscriptionFollowsAnotherProcess() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        // Create the store first, so the reader can open it before the writer starts.
        await (try FlatFileEventStore(path: path, options: .testing)).close()
        let reader = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 4096, readOnly: true))
        let total = 3_000
        let writer = try CLIProcess.start(
            ["workload", "--store", path, "--events", "\(total)", "--batch", "3", "--writers", "4"], in: folder, executable: CLIProcess.workload)
        let stderr = writer.stderr
        var positions: [Int64] = []
        var streams: [StreamID: Int64] = [:]
        for try await event in reader.subscribe(from: 1) {
            positions.append(event.position)
            // Each stream's versions arrive in order, without gaps.
            #expect(event.streamVersion == (streams[event.stream] ?? 0) + 1)
            streams[event.stream] = event.streamVersion
            if positions.count == total { break }
        }
        await writer.waitUntilExit()
        #expect(writer.terminationStatus == 0, "writer failed: \(CLIProcess.read(stderr))")
        #expect(positions == Array(1...Int64(total)))
    }

    @Test("a read-only store sees a writer's appends across segment files after refresh")
    func readOnlyRefresh() async throws {
        let folder = try TemporaryFolder()
        let writer = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(segmentSize: 4096))
        let reader = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(readOnly: true))
        for index in 0..<200 {
            try await writer.append(to: StreamID("S\(index % 5)"), [ProposedEvent(type: "T", payload: Array(repeating: 7, count: 100))])
        }
        #expect(try await reader.lastPosition() == 200)
        let stats = try await reader.statistics()
        #expect(stats.segments > 3)
        #expect(try await reader.readStream("S3", from: .max, direction: .backward, limit: 1).first?.streamVersion == 40)
        await #expect(throws: EventStoreError.self) { try await reader.append(to: "S", [ProposedEvent(type: "T", payload: [])]) }
        await writer.close()
    }
}

@Suite("Idempotency across reopening")
struct IdempotencyReopenTests {
    @Test func aKeyStaysRecordedAfterReopening() async throws {
        let folder = try TemporaryFolder()
        let key = UUID()
        let first = try FlatFileEventStore(path: folder.path, options: .testing)
        let original = try await first.append(AppendBatch(stream: "S", events: [ProposedEvent(type: "T", payload: [1])], idempotencyKey: key))
        await first.close()
        let second = try FlatFileEventStore(path: folder.path, options: .testing)
        let again = try await second.append(AppendBatch(stream: "S", events: [ProposedEvent(type: "T", payload: [2])], idempotencyKey: key))
        #expect(again.isDuplicate)
        #expect(again.firstPosition == original.firstPosition)
        #expect(try await second.lastPosition() == 1)
        await second.close()
    }
}

@Suite("UUID parsing")
struct UUIDParsingTests {
    @Test func parsesWhatFoundationParses() {
        for _ in 0..<1_000 {
            let id = UUID.timeOrdered()
            #expect(UUID.parse(id.uuidString) == id)
            #expect(UUID.parse(id.uuidString.lowercased()) == id)
        }
        for text in ["", "x", "01A219CA-6487-7DC3-AE92-6E961A00F8F", "01A219CA-6487-7DC3-AE92-6E961A00F8FCX", "01A219CA+6487-7DC3-AE92-6E961A00F8FC",
                     "01A219CA-6487-7DC3-AE92-6E961A00F8FG", "01A219CA64877DC3AE926E961A00F8FC0000"] {
            #expect(UUID.parse(text) == nil, "\(text)")
            #expect(UUID(uuidString: text) == nil, "\(text)")
        }
    }
}

@Suite("Child processes")
struct ChildProcessTests {
    /// Whether a process is gone (or a zombie nobody reaped yet).
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the command name in parentheses.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(close, offsetBy: 2)...].prefix(1)
        return state == "Z" || state == "X"
    }

    @Test("a tool started with CHRONICLE_PARENT_PID exits when that parent dies", .timeLimit(.minutes(10)))
    func toolsExitWithTheirParent() async throws {
        let folder = try TemporaryFolder()
        let pidFile = folder.sub("pid")
        // A parent (bash) starts a writer that runs for hours, then dies without ending it.
        let script = "CHRONICLE_PARENT_PID=$$ \"$0\" workload --store \"$1\" --events 1000000000 > /dev/null 2>&1 & echo $! > \"$2\"; wait"
        let parent = Process()
        parent.executableURL = URL(fileURLWithPath: "/bin/bash")
        parent.arguments = ["-c", script, CLIProcess.workload, folder.sub("store"), pidFile]
        try parent.run()
        let deadline = ContinuousClock.now + .seconds(300)
        while (Int32(CLIProcess.read(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let writer = try #require(Int32(CLIProcess.read(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(writer, SIGKILL) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!Self.isGone(writer), "the writer runs while its parent lives")
        kill(parent.processIdentifier, SIGKILL)
        while !Self.isGone(writer), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(Self.isGone(writer), "the writer ended when its parent died")
    }
}

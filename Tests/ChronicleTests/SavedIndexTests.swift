import Chronicle
import Foundation
import TestSupport
import Testing

/// The saved index (`STORE/index`) only spares work: a store opened through it answers exactly
/// as one that rebuilt its index from the records, and a saved index that does not match the
/// log is never believed.
@Suite("The saved index")
struct SavedIndexTests {
    /// The idempotency key of append `index` of task `task` in ``closedStore(_:records:)``.
    static func key(task: Int, index: Int) -> UUID {
        UUID(uuid: (UInt8(task), 0x5A, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0, 0,
                    UInt8(truncatingIfNeeded: index >> 16), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index), 0))
    }

    /// A store of more records than make the index worth saving, over many small segments, on a
    /// few streams, each append keyed; closed, so that its index is saved.
    static func closedStore(_ path: String, records: Int = 4_500) async throws {
        let store = try FlatFileEventStore(path: path, options: .testing)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<(records / 8 + 1) {
                        let stream = StreamID("s-\(task)-\(index % 5)")
                        let events = (0..<(1 + index % 3)).map { _ in ProposedEvent(type: "T", payload: Array("{\"n\":\(index)}".utf8)) }
                        _ = try await store.append(AppendBatch([StreamAppend(stream: stream, expectedVersion: .any, events: events)], idempotencyKey: Self.key(task: task, index: index)))
                    }
                }
            }
            try await group.waitForAll()
        }
        await store.close()
    }

    /// What a store answers, to compare two ways of opening it.
    struct Answers: Equatable {
        var lastPosition: Int64
        var all: [RecordedEvent]
        var streams: [String: [Int64]]
        var versions: [String: Int64]
        var positionAtMidTime: Int64
    }

    static func answers(_ store: FlatFileEventStore) async throws -> Answers {
        let all = try await store.readAll(from: 1, direction: .forward, limit: .max)
        var streams: [String: [Int64]] = [:]
        var versions: [String: Int64] = [:]
        for name in Set(all.map(\.stream.name)) {
            streams[name] = try await store.readStream(StreamID(name), from: 1, direction: .forward, limit: .max).map(\.position)
            versions[name] = try await store.streamVersion(StreamID(name))
        }
        let middle = all[all.count / 2].recordedAt
        return Answers(lastPosition: try await store.lastPosition(), all: all, streams: streams, versions: versions,
                       positionAtMidTime: try await store.lastPosition(atOrBefore: middle))
    }

    /// The same store's answers without its saved index.
    static func answersRebuilt(_ path: String, in folder: TemporaryFolder) async throws -> Answers {
        let copy = folder.sub("rebuilt-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/index")
        let store = try FlatFileEventStore(path: copy, options: FlatFileStoreOptions(readOnly: true))
        return try await answers(store)
    }

    @Test("a store opened through its saved index answers as one that read every record, and takes appends on")
    func savedIndexAnswersTheSame() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        try await Self.closedStore(path)
        #expect(FileManager.default.fileExists(atPath: path + "/index"), "closing a store of that many records saves its index")
        let store = try FlatFileEventStore(path: path, options: .testing)
        #expect(store.savedRecordsAtOpen >= 4_500)
        #expect(try await Self.answers(store) == (try await Self.answersRebuilt(path, in: folder)))
        // Idempotency keys come back with it: a repeated command is recognised, a new one is not.
        let before = try await store.lastPosition()
        for (task, index) in [(0, 0), (3, 77), (7, 500)] {
            let repeated = try await store.append(AppendBatch([StreamAppend(stream: "x", events: [ProposedEvent(type: "T", payload: [0])])], idempotencyKey: Self.key(task: task, index: index)))
            #expect(repeated.isDuplicate, "key of task \(task), append \(index)")
        }
        #expect(try await store.lastPosition() == before)
        let key = UUID()
        let first = try await store.append(AppendBatch([StreamAppend(stream: "s-0-0", expectedVersion: .any, events: [ProposedEvent(type: "T", payload: [1])])], idempotencyKey: key))
        await store.close()
        let reopened = try FlatFileEventStore(path: path, options: .testing)
        #expect(reopened.savedRecordsAtOpen > 0)
        let again = try await reopened.append(AppendBatch([StreamAppend(stream: "s-0-0", expectedVersion: .any, events: [ProposedEvent(type: "T", payload: [1])])], idempotencyKey: key))
        #expect(again.isDuplicate && again.lastPosition == first.lastPosition)
        // Versions come back too: an expected version is checked against the saved one.
        let version = try await reopened.streamVersion("s-1-1")
        await #expect(throws: EventStoreError.self) {
            try await reopened.append(to: "s-1-1", expectedVersion: .exactly(version - 1), [ProposedEvent(type: "T", payload: [2])])
        }
        #expect(try await Self.answers(reopened) == (try await Self.answersRebuilt(path, in: folder)))
        await reopened.close()
        #expect(try LogVerifier.verify(storeAt: path).isIntact)
    }

    @Test("a saved index that is damaged, stale, or of another store is not believed")
    func mismatchedSavedIndexIsIgnored() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store"), other = folder.sub("other")
        try await Self.closedStore(path)
        try await Self.closedStore(other)
        let expected = try await Self.answersRebuilt(path, in: folder)
        let index = path + "/index"
        let original = try Data(contentsOf: URL(fileURLWithPath: index))

        func opensCorrectly(_ why: String) async throws {
            let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
            #expect(store.savedRecordsAtOpen == 0, "\(why): not believed")
            #expect(try await Self.answers(store) == expected, "\(why)")
        }
        // A flipped byte: its checksum fails.
        var damaged = [UInt8](original)
        damaged[damaged.count / 2] ^= 0x04
        try Data(damaged).write(to: URL(fileURLWithPath: index))
        try await opensCorrectly("a damaged saved index")
        // Another store's index, of the same shape and length: its records' checksums differ.
        try FileManager.default.removeItem(atPath: index)
        try FileManager.default.copyItem(atPath: other + "/index", toPath: index)
        try await opensCorrectly("another store's saved index")
        // Cut short.
        try Data(original.prefix(original.count - 100)).write(to: URL(fileURLWithPath: index))
        try await opensCorrectly("a saved index cut short")
        // Stale: saved before more records were appended; they are read from the log.
        try original.write(to: URL(fileURLWithPath: index))
        let writer = try FlatFileEventStore(path: path, options: .testing)
        for number in 0..<10 { try await writer.append(to: "late", [ProposedEvent(type: "T", payload: Array("\(number)".utf8))]) }
        await writer.close()
        let stale = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(readOnly: true))
        #expect(stale.savedRecordsAtOpen > 0, "a stale saved index still serves the records it covers")
        #expect(try await Self.answers(stale) == (try await Self.answersRebuilt(path, in: folder)))
        #expect(try await stale.streamVersion("late") == 10)
    }

    @Test("damage in the records a saved index covers is still found, with its file and offset")
    func damageUnderTheSavedIndexIsFound() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        try await Self.closedStore(path)
        // A byte inside a record of a sealed segment, in the middle of the log.
        let segment = path + "/log/segment-00000002.log"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[1_000] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        #expect(FileManager.default.fileExists(atPath: path + "/index"))
        do {
            _ = try FlatFileEventStore(path: path, options: .testing)
            Issue.record("a damaged log opened")
        } catch let EventStoreError.corrupted(file, offset, _) {
            #expect(file == segment)
            #expect(offset <= 1_000)
        }
        let verify = try LogVerifier.verify(storeAt: path)
        #expect(verify.damage?.file == segment)
    }
}

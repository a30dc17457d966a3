import Foundation

/// Where one record (one atomic batch) sits in the log.
struct RecordLocation: Sendable {
    var firstPosition: Int64
    var eventCount: Int32
    /// Index into ``LogIndex/segments``.
    var segment: Int32
    /// Byte offset of the frame in its segment file.
    var offset: Int64
    /// Length of the whole frame.
    var length: Int32
    var recordedAtNanoseconds: Int64

    var lastPosition: Int64 { firstPosition + Int64(eventCount) - 1 }
}

/// What the index keeps of one record: its place in the log and each event's stream and version.
struct IndexedBatch {
    struct Event {
        var stream: StreamID
        var streamVersion: Int64
    }

    var firstPosition: Int64
    var recordedAtNanoseconds: Int64
    var idempotencyKey: UUID?
    var events: [Event]

    var lastPosition: Int64 { firstPosition + Int64(events.count) - 1 }
}

extension IndexedBatch {
    /// What the index keeps of a batch just written.
    init(_ batch: RecordedBatch) {
        self.init(firstPosition: batch.firstPosition, recordedAtNanoseconds: batch.recordedAtNanoseconds, idempotencyKey: batch.idempotencyKey,
                  events: batch.events.map { Event(stream: $0.stream, streamVersion: $0.streamVersion) })
    }
}

/// The in-memory index of a flat-file log, built when the store opens and extended as batches
/// commit: record locations by position and time, and each stream's positions.
struct LogIndex: Sendable {
    var segments: [Segment] = []
    var records: [RecordLocation] = []
    var streamPositions: [StreamID: [Int64]] = [:]
    /// Idempotency keys, with the index of the record that holds their batch.
    var keys = IdempotencyKeys()
    var versions = StreamVersions()
    var lastPosition: Int64 = 0
    var lastRecordedAt: Int64 = .min
    /// The end of committed data in the last segment.
    var endOffset: Int64 = 0
    /// Bytes in the segments before the last one.
    var sealedBytes: Int64 = 0
    /// Where the data of each segment before the last one ends.
    var sealedEnds: [Int64] = []

    /// Adds a batch read from, or just written to, the last segment. Throws a description of what
    /// is wrong when the batch does not continue the log.
    mutating func add(_ batch: RecordedBatch, offset: Int64, length: Int) throws(IndexError) {
        try add(IndexedBatch(batch), offset: offset, length: length)
    }

    /// Adds a record read from, or just written to, the last segment (see ``add(_:offset:length:)``).
    mutating func add(_ batch: IndexedBatch, offset: Int64, length: Int) throws(IndexError) {
        guard batch.firstPosition == lastPosition + 1 else {
            throw IndexError("record starts at position \(batch.firstPosition), expected \(lastPosition + 1)")
        }
        guard batch.recordedAtNanoseconds >= lastRecordedAt else {
            throw IndexError("record time \(batch.recordedAtNanoseconds) is before the previous record's \(lastRecordedAt)")
        }
        for (index, event) in batch.events.enumerated() {
            let expected = versions.version(of: event.stream) + 1
            guard event.streamVersion == expected else {
                throw IndexError("event at position \(batch.firstPosition + Int64(index)) has version \(event.streamVersion) of stream '\(event.stream)', expected \(expected)")
            }
            versions.set(event.stream, to: expected)
            streamPositions[event.stream, default: []].append(batch.firstPosition + Int64(index))
        }
        if let key = batch.idempotencyKey { keys.insertIfAbsent(key, record: records.count) }
        records.append(RecordLocation(
            firstPosition: batch.firstPosition, eventCount: Int32(batch.events.count), segment: Int32(segments.count - 1),
            offset: offset, length: Int32(length), recordedAtNanoseconds: batch.recordedAtNanoseconds))
        lastPosition = batch.lastPosition
        lastRecordedAt = batch.recordedAtNanoseconds
        endOffset = offset + Int64(length)
    }

    /// Starts a new last segment.
    mutating func addSegment(_ segment: Segment) {
        if !segments.isEmpty {
            sealedBytes += endOffset
            sealedEnds.append(endOffset)
        }
        segments.append(segment)
        endOffset = Int64(Segment.headerLength)
    }

    /// The index of the record holding `position`, which must be in 1...lastPosition.
    func recordIndex(containing position: Int64) -> Int {
        LogSlice.countNotAfter(position, count: records.count) { records[$0].firstPosition } - 1
    }

    var totalBytes: Int64 { sealedBytes + endOffset }
}

/// Why a record does not fit the log around it.
struct IndexError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// The per-stream versions a store checks a batch against; shared by the stores so that every
/// backend validates batches the same way.
struct StreamVersions: Sendable {
    private(set) var versions: [StreamID: Int64] = [:]

    func version(of stream: StreamID) -> Int64 { versions[stream] ?? 0 }

    /// Checks `batch` and returns each append's first new version; throws without changing anything
    /// when the batch is malformed or an expected version is wrong.
    func check(_ batch: AppendBatch) throws -> [Int64] {
        guard !batch.appends.isEmpty, batch.eventCount > 0 else {
            throw EventStoreError.invalidBatch("a batch needs at least one event")
        }
        // A stream may come back later in the batch (a revert keeps the log's reverse order
        // across streams): its versions then go on from its earlier appends.
        var running: [StreamID: Int64] = [:]
        var firsts: [Int64] = []
        firsts.reserveCapacity(batch.appends.count)
        for append in batch.appends {
            guard !append.stream.name.isEmpty else { throw EventStoreError.invalidBatch("a stream name is empty") }
            guard !append.events.isEmpty else { throw EventStoreError.invalidBatch("the append to stream '\(append.stream)' has no events") }
            let actual = running[append.stream] ?? version(of: append.stream)
            guard append.expectedVersion.accepts(actual: actual) else {
                throw EventStoreError.wrongExpectedVersion(stream: append.stream, expected: append.expectedVersion, actual: actual)
            }
            firsts.append(actual + 1)
            running[append.stream] = actual + Int64(append.events.count)
        }
        return firsts
    }

    /// Records that `count` events were appended to `stream`.
    mutating func advance(_ stream: StreamID, by count: Int) {
        versions[stream, default: 0] += Int64(count)
    }

    mutating func set(_ stream: StreamID, to version: Int64) { versions[stream] = version }

    var streamCount: Int { versions.count }
}

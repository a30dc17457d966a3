/// The per-stream versions a store checks a batch against; shared by the stores so that every
/// backend validates batches the same way.
struct StreamVersions: Sendable {
    private(set) var versions: [StreamID: Int64] = [:]

    func version(of stream: StreamID) -> Int64 { versions[stream] ?? 0 }

    /// Checks `batch` and returns each append's first new version; throws without changing anything
    /// when the batch is malformed or an expected version is wrong.
    func check(_ batch: AppendBatch) throws -> [Int64] {
        try batch.firstVersions { version(of: $0) }
    }

    /// Records that `count` events were appended to `stream`.
    mutating func advance(_ stream: StreamID, by count: Int) {
        versions[stream, default: 0] += Int64(count)
    }

    mutating func set(_ stream: StreamID, to version: Int64) { versions[stream] = version }

    var streamCount: Int { versions.count }
}

extension AppendBatch {
    /// Checks the batch as every ``EventStore`` must, against the streams' current versions, and
    /// returns each append's first new version. For backends: the stores of this package and
    /// others validate batches the same way through it.
    /// - Parameter currentVersion: a stream's version before the batch (0 when it has no events).
    /// - Throws: ``EventStoreError/invalidBatch(_:)`` when the batch is malformed (no events, an
    ///   empty stream name, an append without events);
    ///   ``EventStoreError/wrongExpectedVersion(stream:expected:actual:)`` when an expected
    ///   version does not hold.
    public func firstVersions(currentVersion: (StreamID) throws -> Int64) throws -> [Int64] {
        let batch = self
        try checkShape()
        // A stream may come back later in the batch (a revert keeps the log's reverse order
        // across streams): its versions then go on from its earlier appends.
        var running: [StreamID: Int64] = [:]
        var firsts: [Int64] = []
        firsts.reserveCapacity(batch.appends.count)
        for append in batch.appends {
            let actual = try running[append.stream] ?? currentVersion(append.stream)
            guard append.expectedVersion.accepts(actual: actual) else {
                throw EventStoreError.wrongExpectedVersion(stream: append.stream, expected: append.expectedVersion, actual: actual)
            }
            firsts.append(actual + 1)
            running[append.stream] = actual + Int64(append.events.count)
        }
        return firsts
    }

    /// Checks what makes a batch malformed whatever the log holds: no events, an empty stream
    /// name, an append without events. For backends that check this before they reach storage.
    /// - Throws: ``EventStoreError/invalidBatch(_:)``.
    public func checkShape() throws {
        guard !appends.isEmpty, eventCount > 0 else {
            throw EventStoreError.invalidBatch("a batch needs at least one event")
        }
        for append in appends {
            guard !append.stream.name.isEmpty else { throw EventStoreError.invalidBatch("a stream name is empty") }
            guard !append.events.isEmpty else { throw EventStoreError.invalidBatch("the append to stream '\(append.stream)' has no events") }
        }
    }
}

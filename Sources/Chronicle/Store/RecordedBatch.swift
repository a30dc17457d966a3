import Foundation

/// One atomic append as it is stored: the unit a log record holds.
struct RecordedBatch: Sendable {
    var firstPosition: Int64
    var recordedAtNanoseconds: Int64
    var events: [RecordedEvent]
    var idempotencyKey: UUID?

    var lastPosition: Int64 { firstPosition + Int64(events.count) - 1 }

    /// Stamps a checked batch with its positions, versions and time.
    init(batch: AppendBatch, firstVersions: [Int64], firstPosition: Int64, recordedAtNanoseconds: Int64) {
        self.firstPosition = firstPosition
        self.recordedAtNanoseconds = recordedAtNanoseconds
        self.idempotencyKey = batch.idempotencyKey
        var events: [RecordedEvent] = []
        events.reserveCapacity(batch.eventCount)
        var position = firstPosition
        for (append, firstVersion) in zip(batch.appends, firstVersions) {
            var version = firstVersion
            for event in append.events {
                events.append(RecordedEvent(
                    id: event.id, type: event.type, schemaVersion: event.schemaVersion, stream: append.stream,
                    streamVersion: version, position: position, recordedAtNanoseconds: recordedAtNanoseconds,
                    correlationID: event.correlationID, causationID: event.causationID, actor: event.actor,
                    metadata: event.metadata, payload: event.payload))
                version += 1
                position += 1
            }
        }
        self.events = events
    }

    init(firstPosition: Int64, recordedAtNanoseconds: Int64, events: [RecordedEvent], idempotencyKey: UUID?) {
        self.firstPosition = firstPosition
        self.recordedAtNanoseconds = recordedAtNanoseconds
        self.events = events
        self.idempotencyKey = idempotencyKey
    }

    /// The result an append of this batch returns.
    var result: AppendResult {
        var versions: [StreamID: Int64] = [:]
        for event in events { versions[event.stream] = event.streamVersion }
        return AppendResult(firstPosition: firstPosition, lastPosition: lastPosition, streamVersions: versions, recordedAtNanoseconds: recordedAtNanoseconds)
    }
}

import Chronicle
import Foundation
import Synchronization

/// An event store that lets another writer append a one-cent deposit to a stream right before
/// each of the next `racesLeft` appends: a version conflict on demand.
final class RacingStore: EventStore {
    let base: FlatFileEventStore
    let stream: StreamID
    let racesLeft = Mutex(0)

    init(_ base: FlatFileEventStore, stream: StreamID) {
        self.base = base
        self.stream = stream
    }

    func append(_ batch: AppendBatch) async throws -> AppendResult {
        let race = racesLeft.withLock { left -> Bool in
            defer { left = max(0, left - 1) }
            return left > 0
        }
        if race {
            let payload = Array(#"{"amount":1}"#.utf8)
            try await base.append(to: stream, [ProposedEvent(type: "Account.Deposited", payload: payload)])
        }
        return try await base.append(batch)
    }

    func readStream(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        try await base.readStream(stream, from: version, direction: direction, limit: limit)
    }
    func readAll(from position: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        try await base.readAll(from: position, direction: direction, limit: limit)
    }
    func lastPosition() async throws -> Int64 { try await base.lastPosition() }
    func streamVersion(_ stream: StreamID) async throws -> Int64 { try await base.streamVersion(stream) }
    func lastPosition(atOrBefore date: Date) async throws -> Int64 { try await base.lastPosition(atOrBefore: date) }
    func result(forIdempotencyKey key: UUID) async throws -> AppendResult? { try await base.result(forIdempotencyKey: key) }
    func waitForEvents(after position: Int64) async throws { try await base.waitForEvents(after: position) }
}

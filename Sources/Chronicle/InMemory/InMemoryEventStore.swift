import Foundation
import Synchronization

/// An ``EventStore`` that keeps its log in memory, with the same semantics as the flat-file store
/// except durability: for tests, previews and throw-away runs.
public final class InMemoryEventStore: EventStore {
    private struct State {
        var events: [RecordedEvent] = []
        var streamPositions: [StreamID: [Int64]] = [:]
        var versions = StreamVersions()
        var lastRecordedAt: Int64 = .min
        var keys: [UUID: AppendResult] = [:]
    }

    private let state = Mutex(State())
    private let clock: any WallClock
    private let notifier = CommitNotifier(head: 0)

    /// Creates an empty store whose recorded-at times come from `clock`.
    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    public func append(_ batch: AppendBatch) async throws -> AppendResult {
        let now = clock.now().nanosecondsSince1970
        enum Outcome { case recorded(RecordedBatch), duplicate(AppendResult) }
        let outcome: Outcome = try state.withLock { state in
            if let key = batch.idempotencyKey, var original = state.keys[key] {
                original.isDuplicate = true
                return .duplicate(original)
            }
            let firsts = try state.versions.check(batch)
            let time = max(now, state.lastRecordedAt)
            let recorded = RecordedBatch(batch: batch, firstVersions: firsts, firstPosition: Int64(state.events.count) + 1, recordedAtNanoseconds: time)
            state.lastRecordedAt = time
            for event in recorded.events {
                state.events.append(event)
                state.streamPositions[event.stream, default: []].append(event.position)
                state.versions.advance(event.stream, by: 1)
            }
            if let key = batch.idempotencyKey { state.keys[key] = recorded.result }
            return .recorded(recorded)
        }
        switch outcome {
        case .duplicate(let original):
            return original
        case .recorded(let recorded):
            notifier.publish(head: recorded.lastPosition)
            return recorded.result
        }
    }

    public func readStream(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        state.withLock { state in
            let positions = state.streamPositions[stream] ?? []
            return LogSlice.indices(count: positions.count, from: version, direction: direction, limit: limit)
                .map { state.events[Int(positions[$0] - 1)] }
        }
    }

    public func readAll(from position: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        state.withLock { state in
            LogSlice.indices(count: state.events.count, from: position, direction: direction, limit: limit)
                .map { state.events[$0] }
        }
    }

    public func lastPosition() async throws -> Int64 { state.withLock { Int64($0.events.count) } }

    public func streamVersion(_ stream: StreamID) async throws -> Int64 { state.withLock { $0.versions.version(of: stream) } }

    public func lastPosition(atOrBefore date: Date) async throws -> Int64 {
        let limit = date.nanosecondsSince1970
        return state.withLock { state in
            Int64(LogSlice.countNotAfter(limit, count: state.events.count) { state.events[$0].recordedAtNanoseconds })
        }
    }

    public func result(forIdempotencyKey key: UUID) async throws -> AppendResult? {
        state.withLock { state in
            guard var result = state.keys[key] else { return nil }
            result.isDuplicate = true
            return result
        }
    }

    public func waitForEvents(after position: Int64) async throws {
        await notifier.wait(after: position)
    }
}

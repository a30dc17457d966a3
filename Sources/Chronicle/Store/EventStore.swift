import Foundation

/// An append-only log of events, organised in streams, with one global order.
///
/// Every backend (the flat-file store, the in-memory store, a database) offers the same guarantees,
/// checked by the conformance suite in `ChronicleTesting`:
/// - **Atomic batches.** An ``AppendBatch`` is recorded entirely or not at all, its events take
///   consecutive global positions, and no other batch interleaves them.
/// - **Optimistic concurrency.** Each stream append carries an ``ExpectedVersion``; when any is
///   wrong, nothing is recorded and the append throws
///   ``EventStoreError/wrongExpectedVersion(stream:expected:actual:)``.
/// - **Durability.** When `append` returns, the events survive a crash of the process or machine
///   (for the flat-file store: their bytes were flushed with `fdatasync`).
/// - **Order.** Global positions start at 1 and have no gaps; recorded-at times never decrease
///   along the log.
/// - **Read what is committed.** Reads and subscriptions only ever see complete, durable batches.
public protocol EventStore: Sendable {
    /// Records a batch atomically and durably.
    /// - Throws: ``EventStoreError``; when it throws, nothing of the batch was recorded.
    @discardableResult
    func append(_ batch: AppendBatch) async throws -> AppendResult

    /// Reads up to `limit` events of one stream, starting at `version` (inclusive) and going in
    /// `direction`. Versions start at 1; reading backward from `Int64.max` starts at the last event.
    func readStream(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent]

    /// Reads up to `limit` events of the whole log, starting at global `position` (inclusive) and
    /// going in `direction`. Reading backward from `Int64.max` starts at the last event.
    func readAll(from position: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent]

    /// The global position of the last committed event (0 when the log is empty).
    func lastPosition() async throws -> Int64

    /// The current version of a stream (0 when it has no events).
    func streamVersion(_ stream: StreamID) async throws -> Int64

    /// The position of the last event recorded at or before `date` (0 when there is none), found
    /// without scanning the log.
    func lastPosition(atOrBefore date: Date) async throws -> Int64

    /// The result of the batch recorded with this idempotency key, marked as a duplicate; `nil`
    /// when no batch has the key.
    func result(forIdempotencyKey key: UUID) async throws -> AppendResult?

    /// Suspends until the log's last position is greater than `position`, or the task is cancelled
    /// (then it returns early). Subscriptions are built on it.
    func waitForEvents(after position: Int64) async throws
}

extension EventStore {
    /// Appends events to one stream; see ``append(_:)``.
    @discardableResult
    public func append(to stream: StreamID, expectedVersion: ExpectedVersion = .any, _ events: [ProposedEvent]) async throws -> AppendResult {
        try await append(AppendBatch(stream: stream, expectedVersion: expectedVersion, events: events))
    }

    /// A sequence of every event from `position` (inclusive) on: it catches up with what is already
    /// recorded, then follows new appends, including appends made by another process to a
    /// flat-file store. It ends when the iterating task is cancelled.
    public func subscribe(from position: Int64 = 1, pageSize: Int = 1024) -> EventSubscription {
        EventSubscription(store: self, from: position, pageSize: pageSize)
    }
}

/// Events for one stream inside an ``AppendBatch``, with the version the writer expects the stream
/// to have.
public struct StreamAppend: Hashable, Sendable {
    /// The stream to append to.
    public var stream: StreamID
    /// The version the stream must have for the batch to be recorded.
    public var expectedVersion: ExpectedVersion
    /// The events, in order.
    public var events: [ProposedEvent]

    /// Creates a stream append.
    public init(stream: StreamID, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent]) {
        self.stream = stream
        self.expectedVersion = expectedVersion
        self.events = events
    }
}

import Foundation

/// A set of appends to one or more streams that the store records atomically: all of them or none,
/// also across a crash, with consecutive global positions that no other batch interleaves.
public struct AppendBatch: Hashable, Sendable {
    /// The appends, in the order their events take in the log.
    public var appends: [StreamAppend]
    /// Makes the append idempotent: a batch with a key the log already holds records nothing and
    /// returns the original batch's result, marked ``AppendResult/isDuplicate`` (the command
    /// processor uses the command's id).
    public var idempotencyKey: UUID?

    /// Creates a batch from its stream appends.
    public init(_ appends: [StreamAppend], idempotencyKey: UUID? = nil) {
        self.appends = appends
        self.idempotencyKey = idempotencyKey
    }

    /// Creates a batch that appends to one stream.
    public init(stream: StreamID, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent], idempotencyKey: UUID? = nil) {
        self.appends = [StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)]
        self.idempotencyKey = idempotencyKey
    }

    /// The number of events in the batch.
    public var eventCount: Int { appends.reduce(0) { $0 + $1.events.count } }
}

/// What an append recorded.
public struct AppendResult: Hashable, Sendable {
    /// The global position of the batch's first event.
    public var firstPosition: Int64
    /// The global position of the batch's last event.
    public var lastPosition: Int64
    /// Each stream's version after the append, in the order of the batch's appends.
    public var streamVersions: [StreamID: Int64]
    /// When the batch was recorded, in nanoseconds since 1970.
    public var recordedAtNanoseconds: Int64
    /// Whether the batch's idempotency key was already in the log: nothing new was recorded, and
    /// the figures are the original batch's.
    public var isDuplicate: Bool

    /// Creates an append result.
    public init(firstPosition: Int64, lastPosition: Int64, streamVersions: [StreamID: Int64], recordedAtNanoseconds: Int64, isDuplicate: Bool = false) {
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.streamVersions = streamVersions
        self.recordedAtNanoseconds = recordedAtNanoseconds
        self.isDuplicate = isDuplicate
    }
}

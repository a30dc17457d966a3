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

/// A set of appends to one or more streams that the store records atomically: all of them or none,
/// also across a crash, with consecutive global positions that no other batch interleaves.
public struct AppendBatch: Hashable, Sendable {
    /// The appends, in the order their events take in the log.
    public var appends: [StreamAppend]

    /// Creates a batch from its stream appends.
    public init(_ appends: [StreamAppend]) { self.appends = appends }

    /// Creates a batch that appends to one stream.
    public init(stream: StreamID, expectedVersion: ExpectedVersion = .any, events: [ProposedEvent]) {
        self.appends = [StreamAppend(stream: stream, expectedVersion: expectedVersion, events: events)]
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

    /// Creates an append result.
    public init(firstPosition: Int64, lastPosition: Int64, streamVersions: [StreamID: Int64], recordedAtNanoseconds: Int64) {
        self.firstPosition = firstPosition
        self.lastPosition = lastPosition
        self.streamVersions = streamVersions
        self.recordedAtNanoseconds = recordedAtNanoseconds
    }
}

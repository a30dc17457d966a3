import Foundation

/// An event as the store recorded it: the writer's ``ProposedEvent`` in an envelope that places it
/// in its stream and in the log.
public struct RecordedEvent: Hashable, Sendable {
    /// The event's unique id.
    public var id: UUID
    /// The event's type name.
    public var type: String
    /// The version of the event type's schema the payload was written with.
    public var schemaVersion: Int32
    /// The stream the event belongs to.
    public var stream: StreamID
    /// The event's version within its stream: 1 for the stream's first event.
    public var streamVersion: Int64
    /// The event's position in the whole log: 1 for the first event ever recorded, one more for each
    /// event after it, with no gaps.
    public var position: Int64
    /// When the store recorded the event, in nanoseconds since 1970-01-01 UTC. Never decreases
    /// along the log; all events of one append share it.
    public var recordedAtNanoseconds: Int64
    /// The id of the business transaction this event belongs to.
    public var correlationID: UUID?
    /// The id of the message (usually a command) that caused this event.
    public var causationID: UUID?
    /// Who caused the event.
    public var actor: String?
    /// Free-form string metadata.
    public var metadata: [String: String]
    /// The encoded event.
    public var payload: [UInt8]

    /// Creates a recorded event; stores call this, users normally only read one.
    public init(
        id: UUID, type: String, schemaVersion: Int32, stream: StreamID, streamVersion: Int64,
        position: Int64, recordedAtNanoseconds: Int64, correlationID: UUID?, causationID: UUID?,
        actor: String?, metadata: [String: String], payload: [UInt8]
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.stream = stream
        self.streamVersion = streamVersion
        self.position = position
        self.recordedAtNanoseconds = recordedAtNanoseconds
        self.correlationID = correlationID
        self.causationID = causationID
        self.actor = actor
        self.metadata = metadata
        self.payload = payload
    }

    /// When the store recorded the event.
    public var recordedAt: Date { Date(nanosecondsSince1970: recordedAtNanoseconds) }
}

extension Date {
    /// The date `nanoseconds` after 1970-01-01 UTC.
    public init(nanosecondsSince1970 nanoseconds: Int64) {
        self.init(timeIntervalSince1970: Double(nanoseconds) / 1_000_000_000)
    }

    /// Nanoseconds since 1970-01-01 UTC, rounded down; the store's unit of time.
    public var nanosecondsSince1970: Int64 {
        let value = (timeIntervalSince1970 * 1_000_000_000).rounded(.down)
        if value >= Double(Int64.max) { return Int64.max }
        if value <= Double(Int64.min) { return Int64.min }
        return Int64(value)
    }
}

import Foundation

/// What a projection may know about an event besides its payload: where and when it was recorded.
public struct EventContext: Sendable, Hashable {
    /// The event's id.
    public var eventID: UUID
    /// The event's global position.
    public var position: Int64
    /// The event's version in its stream.
    public var streamVersion: Int64
    /// When the event was recorded.
    public var recordedAt: Date
    /// Who caused it.
    public var actor: String?

    /// Creates a context.
    public init(eventID: UUID, position: Int64, streamVersion: Int64, recordedAt: Date, actor: String?) {
        self.eventID = eventID
        self.position = position
        self.streamVersion = streamVersion
        self.recordedAt = recordedAt
        self.actor = actor
    }

    /// The context of a recorded event.
    public init(_ event: RecordedEvent) {
        self.init(eventID: event.id, position: event.position, streamVersion: event.streamVersion, recordedAt: event.recordedAt, actor: event.actor)
    }

    /// The context views see for a recorded event. A revert event carries the position and time
    /// of the event whose effect it undoes or redoes (``viewPositionKey``, ``viewTimeKey``), so
    /// that a view that records them (a statement line's date, say) comes back exactly as it was.
    public init(forViewsOf event: RecordedEvent) {
        let position = event.metadata[EventContext.viewPositionKey].flatMap { Int64($0) } ?? event.position
        let time = event.metadata[EventContext.viewTimeKey].flatMap { Int64($0) } ?? event.recordedAtNanoseconds
        self.init(eventID: event.id, position: position, streamVersion: event.streamVersion, recordedAt: Date(nanosecondsSince1970: time), actor: event.actor)
    }

    /// Metadata key: the position a revert event presents to views.
    public static let viewPositionKey = "chronicle.view-position"
    /// Metadata key: the time (nanoseconds since 1970) a revert event presents to views.
    public static let viewTimeKey = "chronicle.view-recorded-at"
}

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

    /// The context views see for a recorded event: its own, except for a revert event, which
    /// presents the whole context of the event whose effect it undoes or redoes (id, position,
    /// stream version, time and actor, under ``viewEventIDKey`` and the keys next to it). So a
    /// view that records any of them (a statement line's date, the last editor) comes back
    /// exactly as it was, and undoing an event takes away exactly what projecting it added.
    public init(forViewsOf event: RecordedEvent) {
        let metadata = event.metadata
        guard let position = metadata[EventContext.viewPositionKey].flatMap({ Int64($0) }) else {
            self.init(event)
            return
        }
        let presentsEvent = metadata[EventContext.viewEventIDKey] != nil
        self.init(
            eventID: metadata[EventContext.viewEventIDKey].flatMap(UUID.init(uuidString:)) ?? event.id,
            position: position,
            streamVersion: metadata[EventContext.viewStreamVersionKey].flatMap { Int64($0) } ?? event.streamVersion,
            recordedAt: Date(nanosecondsSince1970: metadata[EventContext.viewTimeKey].flatMap { Int64($0) } ?? event.recordedAtNanoseconds),
            actor: presentsEvent ? metadata[EventContext.viewActorKey] : event.actor)
    }

    /// The metadata a revert event carries so that views see this context (see
    /// ``init(forViewsOf:)``).
    public var viewMetadata: [String: String] {
        var metadata = [
            EventContext.viewEventIDKey: eventID.uuidString,
            EventContext.viewPositionKey: String(position),
            EventContext.viewStreamVersionKey: String(streamVersion),
            EventContext.viewTimeKey: String(recordedAt.nanosecondsSince1970),
        ]
        if let actor { metadata[EventContext.viewActorKey] = actor }
        return metadata
    }

    /// Metadata key: the event id a revert event presents to views.
    public static let viewEventIDKey = "chronicle.view-event-id"
    /// Metadata key: the position a revert event presents to views.
    public static let viewPositionKey = "chronicle.view-position"
    /// Metadata key: the stream version a revert event presents to views.
    public static let viewStreamVersionKey = "chronicle.view-stream-version"
    /// Metadata key: the time (nanoseconds since 1970) a revert event presents to views.
    public static let viewTimeKey = "chronicle.view-recorded-at"
    /// Metadata key: the actor a revert event presents to views (absent when the original had none).
    public static let viewActorKey = "chronicle.view-actor"
}

/// The generated state of one aggregate: what its events add up to.
public protocol AggregateState: Codable, Sendable, Equatable {
    /// The aggregate's events.
    associatedtype Event: AggregateEvent
    /// The aggregate's id type.
    associatedtype ID: AggregateID

    /// The aggregate's name, which also prefixes its streams (`Account-<id>`).
    static var aggregateName: String { get }

    /// Changes whenever the aggregate's definition changes; snapshots taken under another
    /// fingerprint are ignored.
    static var fingerprint: String { get }

    /// Whether the aggregate must be created by a creating command before other commands apply.
    static var requiresCreation: Bool { get }

    /// The state before any event: every field at its default.
    init()

    /// Applies one event.
    /// - Throws: ``ArithmeticOverflow`` when an `add` or `subtract` would leave the range of its
    ///   field's type; the state must then be discarded (it may be partly changed).
    mutating func apply(_ event: Event) throws

    /// The event as it must be recorded on top of this state: with the values it overwrites
    /// (for `set` and `remove`), so that its inverse can restore them.
    func capturing(_ event: Event) -> Event
}

extension AggregateState {
    /// The stream that holds the events of the aggregate with this id.
    public static func stream(for id: ID) -> StreamID { StreamID("\(aggregateName)-\(id)") }

    /// Applies events in order.
    public mutating func apply<Events: Sequence>(_ events: Events) throws where Events.Element == Event {
        for event in events { try apply(event) }
    }
}

/// The id of an aggregate: a value that prints as its stream name's suffix.
public protocol AggregateID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible, JSONCodable {
    /// Parses an id from its description; `nil` when the text is not one.
    init?(_ description: String)
}

extension AggregateID {
    /// Parses an id from its description (a stream name's suffix); `nil` when the text is not one.
    public static func parsing(_ description: String) -> Self? { Self(description) }
}

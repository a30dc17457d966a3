/// A read view generated from a schema: a function of the events, kept up to date one event at
/// a time, and able to undo each event's effect.
public protocol Projection: Sendable, Equatable, Codable {
    /// The module's event type (all aggregates' events).
    associatedtype Event: Sendable

    /// Changes whenever the view's definition changes; a stored view with another fingerprint
    /// is rebuilt.
    static var fingerprint: String { get }

    /// The row fields with an index, by their stored (JSON) names; a view storage that keeps
    /// rows in a table gives each a column of its own. Empty by default.
    static var indexedFields: [String] { get }

    /// The view before any event.
    init()

    /// Applies an event's view operations.
    /// - Throws: ``ArithmeticOverflow`` when an `add` or `subtract` would leave the range of its
    ///   field's type; the view is then unchanged.
    mutating func apply(_ event: Event, context: EventContext) throws

    /// Undoes an event's view operations, the event being the latest one applied to what it
    /// touches (reverts go newest first).
    /// - Throws: ``ArithmeticOverflow``, as ``apply(_:context:)``; the view is then unchanged.
    mutating func undo(_ event: Event, context: EventContext) throws
}

extension Projection {
    /// No indexed fields.
    public static var indexedFields: [String] { [] }
}

/// Why a view stopped: an event it could not project (an `add` that would overflow, say).
///
/// A stopped view keeps its last good state and the position it reflects, and is served as it
/// is; the other views, commands and reverts go on. It stays stopped until it is rebuilt (after
/// the event was reverted, or the view's definition changed).
public struct ViewFailure: Error, Sendable, CustomStringConvertible {
    /// The view's name.
    public var view: String
    /// The type of the event it could not project.
    public var eventType: String
    /// The event's position in the log.
    public var position: Int64
    /// What went wrong.
    public var reason: String
    /// The error the view's handler threw (an ``ArithmeticOverflow``, say), when there was one.
    public var underlying: (any Error)?

    /// Creates a failure description.
    public init(view: String, eventType: String, position: Int64, reason: String, underlying: (any Error)? = nil) {
        self.view = view
        self.eventType = eventType
        self.position = position
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String {
        "view \(view) stopped at \(eventType) (position \(position)): \(reason); it shows the log up to position \(position - 1)"
    }
}

import Foundation

/// An event a command recorded, as ``CommandOutcome/events`` lists it: enough to find it in the
/// log again, or to revert exactly it.
public struct RecordedEventReference: Sendable, Hashable {
    /// The event's id.
    public var id: UUID
    /// The stream it belongs to.
    public var stream: StreamID
    /// Its global position in the log.
    public var position: Int64
    /// Its type name, e.g. `Account.Deposited`.
    public var type: String

    /// Creates a reference.
    public init(id: UUID, stream: StreamID, position: Int64, type: String) {
        self.id = id
        self.stream = stream
        self.position = position
        self.type = type
    }
}

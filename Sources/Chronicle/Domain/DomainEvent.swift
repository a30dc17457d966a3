/// An event type generated from a schema: a value that records one fact about one aggregate.
public protocol DomainEvent: Codable, Sendable, Equatable, JSONCodable {
    /// The name the event is stored under, `Aggregate.Event` (e.g. `Account.Deposited`).
    static var typeName: String { get }
    /// The version of the event's schema; stored with every event.
    static var schemaVersion: Int32 { get }
}

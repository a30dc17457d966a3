import Foundation

/// An event a writer asks the store to record.
///
/// The store adds what only it can know when the event is recorded: the stream version, the global
/// position and the recorded-at time (see ``RecordedEvent``).
public struct ProposedEvent: Hashable, Sendable {
    /// A unique id for this event, chosen by the writer.
    public var id: UUID
    /// The event's type name, e.g. `Account.Deposited`; used to decode the payload.
    public var type: String
    /// The version of the event type's schema the payload was written with.
    public var schemaVersion: Int32
    /// The encoded event (JSON for generated events); the store treats it as opaque bytes.
    public var payload: [UInt8]
    /// The id of the business transaction this event belongs to.
    public var correlationID: UUID?
    /// The id of the message (usually a command) that caused this event.
    public var causationID: UUID?
    /// Who caused the event: a user, a service, a job.
    public var actor: String?
    /// Free-form string metadata.
    public var metadata: [String: String]

    /// Creates a proposed event.
    public init(
        id: UUID = .timeOrdered(),
        type: String,
        schemaVersion: Int32 = 1,
        payload: [UInt8],
        correlationID: UUID? = nil,
        causationID: UUID? = nil,
        actor: String? = nil,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.correlationID = correlationID
        self.causationID = causationID
        self.actor = actor
        self.metadata = metadata
    }
}

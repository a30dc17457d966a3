/// The generated enum of every event one aggregate records, its inverses included.
public protocol AggregateEvent: Sendable, Equatable {
    /// The stored type name of the event in this case.
    var typeName: String { get }
    /// The schema version of the event in this case.
    var schemaVersion: Int32 { get }
    /// The event's payload as stored (JSON).
    func encodedPayload() throws -> [UInt8]
    /// Decodes a stored payload; returns `nil` when `typeName` is not one of this aggregate's.
    /// - Throws: ``SchemaDecodingError`` when the type is known but the payload does not decode.
    static func decode(typeName: String, schemaVersion: Int32, payload: [UInt8]) throws -> Self?
    /// The event that undoes this one: a named inverse, a generated `Reverted` event, or (for
    /// those) the original again. `nil` for an irreversible event.
    var inverse: Self? { get }
    /// Why the event cannot be undone, for an irreversible event.
    var irreversibleReason: String? { get }
    /// What the event changes in its aggregate's state; an event applied in Swift may change
    /// every field. A selective revert of an earlier event conflicts with this one where the
    /// two changes do not commute (see ``FieldChanges``).
    var fieldChanges: FieldChanges { get }
}

/// A stored event whose payload does not decode as its type says.
public struct SchemaDecodingError: Error, CustomStringConvertible, Sendable {
    /// The stored type name.
    public var typeName: String
    /// The stored schema version.
    public var schemaVersion: Int32
    /// What went wrong.
    public var reason: String
    /// The decoder's own error (a ``JSONReader/Failure`` with its byte offset, say), when there
    /// was one.
    public var underlying: (any Error)?

    /// Creates a decoding error.
    public init(typeName: String, schemaVersion: Int32, reason: String, underlying: (any Error)? = nil) {
        self.typeName = typeName
        self.schemaVersion = schemaVersion
        self.reason = reason
        self.underlying = underlying
    }

    public var description: String { "cannot decode \(typeName) (schema version \(schemaVersion)): \(reason)" }
}

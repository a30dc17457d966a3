/// An event type generated from a schema: a value that records one fact about one aggregate.
public protocol DomainEvent: Codable, Sendable, Equatable, JSONCodable {
    /// The name the event is stored under, `Aggregate.Event` (e.g. `Account.Deposited`).
    static var typeName: String { get }
    /// The version of the event's schema; stored with every event.
    static var schemaVersion: Int32 { get }

    /// Reads a payload stored by an earlier version of the event: its schema's `upcast`. The
    /// default throws, naming the version, for an event that declares none.
    static func upcast(_ stored: StoredPayload) throws -> Self
}

extension DomainEvent {
    public static func upcast(_ stored: StoredPayload) throws -> Self {
        throw PayloadUpcastError(reason: "version \(stored.version) is older than any version of \(typeName) this schema reads (\(schemaVersion))")
    }

    /// Decodes a stored payload: directly when it has the current version, through
    /// ``upcast(_:)`` when it is older.
    /// - Parameter typeName: the name it was stored under (a former name, for a renamed event).
    /// - Throws: ``SchemaDecodingError``, with the decoder's or upcast's error as its
    ///   `underlying`; a payload written by a newer version is refused.
    public static func decode(storedAs typeName: String, version: Int32, payload: [UInt8]) throws -> Self {
        guard version <= schemaVersion else {
            throw SchemaDecodingError(typeName: typeName, schemaVersion: version, reason: "written by a newer schema (this one knows version \(schemaVersion))")
        }
        do {
            if version == schemaVersion { return try Self(jsonBytes: payload) }
            return try upcast(StoredPayload(typeName: typeName, version: version, payload: payload))
        } catch let error as SchemaDecodingError {
            throw error
        } catch {
            let stage = version == schemaVersion ? "" : "upcasting from version \(version): "
            throw SchemaDecodingError(typeName: typeName, schemaVersion: version, reason: stage + "\(error)", underlying: error)
        }
    }
}

/// A payload stored by an earlier version of an event, or under one of its former names: what
/// an upcast reads to build the event as the schema now declares it.
///
/// An `upcast: swift` in a schema is a function from this to the event; its accessors decode
/// fields with the same JSON decoders the generated code uses.
public struct StoredPayload: Sendable {
    /// The type name the event was stored under (a former name, for a renamed event).
    public var typeName: String
    /// The version of the event's schema that wrote it.
    public var version: Int32
    /// The payload's fields.
    public var fields: [String: JSONValue]

    /// Creates a payload from its fields.
    public init(typeName: String, version: Int32, fields: [String: JSONValue]) {
        self.typeName = typeName
        self.version = version
        self.fields = fields
    }

    /// Reads a stored payload, which must be a JSON object.
    public init(typeName: String, version: Int32, payload: [UInt8]) throws {
        guard let fields = try JSONValue(jsonBytes: payload).members else {
            throw PayloadUpcastError(reason: "the payload is not a JSON object")
        }
        self.init(typeName: typeName, version: version, fields: fields)
    }

    /// Whether the payload has the field (with any value, `null` included).
    public func has(_ field: String) -> Bool { fields[field] != nil }

    /// Decodes a field that must be there.
    /// - Throws: ``PayloadUpcastError`` when it is missing, ``JSONReader/Failure`` when it does
    ///   not decode as `type`.
    public func decode<Value: JSONCodable>(_ type: Value.Type, _ field: String) throws -> Value {
        guard let value = fields[field] else { throw PayloadUpcastError(reason: "the version \(version) payload has no field '\(field)'") }
        return try Value(jsonBytes: value.jsonBytes())
    }

    /// Decodes a field, or returns `nil` when it is missing or `null`.
    public func decodeIfPresent<Value: JSONCodable>(_ type: Value.Type, _ field: String) throws -> Value? {
        guard let value = fields[field], value != .null else { return nil }
        return try Value(jsonBytes: value.jsonBytes())
    }

    /// The payload held in an object field (the `original` of a stored `Reverted`), with the
    /// same version.
    public func nested(_ field: String, typeName: String) throws -> StoredPayload {
        guard let members = fields[field]?.members else {
            throw PayloadUpcastError(reason: "the version \(version) payload has no object '\(field)'")
        }
        return StoredPayload(typeName: typeName, version: version, fields: members)
    }

    /// The event a stored generated inverse (`X.Reverted`) undoes: its `original`, with the
    /// same version, under the name `X` it was stored as.
    public func original() throws -> StoredPayload {
        let suffix = ".Reverted"
        return try nested("original", typeName: typeName.hasSuffix(suffix) ? String(typeName.dropLast(suffix.count)) : typeName)
    }

    /// Applies the declarative steps from this payload's version up to the event's, then
    /// decodes the event.
    /// - Throws: ``PayloadUpcastError`` when a step is missing, or the decoder's error when the
    ///   result is not a payload of the current version.
    public func upcast<Event: JSONCodable>(through steps: [PayloadUpcast], to type: Event.Type, version current: Int32) throws -> Event {
        var fields = self.fields
        var version = self.version
        while version < current {
            guard let step = steps.first(where: { $0.from == version }) else {
                throw PayloadUpcastError(reason: "no upcast from version \(version)")
            }
            step.apply(to: &fields)
            version += 1
        }
        return try Event(jsonBytes: JSONValue.object(fields).jsonBytes())
    }
}

/// Why a stored payload could not be read as the current version of its event.
public struct PayloadUpcastError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What is wrong.
    public var reason: String

    /// Creates the error.
    public init(reason: String) { self.reason = reason }

    public var description: String { reason }
}

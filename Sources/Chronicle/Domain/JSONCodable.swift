import Foundation

/// A value with a JSON encoding written by hand (or by the generator), fast and exact; the
/// generated events, enums, structs and ids conform.
public protocol JSONCodable {
    /// Writes the value.
    func encodeJSON(to writer: inout JSONWriter) throws
    /// Reads a value.
    init(json reader: inout JSONReader) throws
}

extension JSONCodable {
    /// The value as JSON bytes.
    public func jsonBytes() throws -> [UInt8] {
        var writer = JSONWriter()
        try encodeJSON(to: &writer)
        return writer.bytes
    }

    /// Reads a value from JSON bytes, which must hold nothing else.
    public init(jsonBytes: [UInt8]) throws {
        var reader = JSONReader(jsonBytes)
        self = try Self(json: &reader)
        try reader.finish()
    }
}

extension JSONWriter {
    /// Writes any JSON-codable value.
    public mutating func encode<Value: JSONCodable>(_ value: Value) throws { try value.encodeJSON(to: &self) }
}

extension JSONReader {
    /// Reads any JSON-codable value.
    public mutating func decode<Value: JSONCodable>(_ type: Value.Type) throws -> Value { try Value(json: &self) }
}

extension String: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readString() }
}

extension Int: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readInteger() }
}

extension Int64: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readInteger() }
}

extension Int32: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readInteger() }
}

extension Double: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) throws { try writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readDouble() }
}

extension Bool: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readBool() }
}

extension UUID: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) { writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readUUID() }
}

extension Date: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) throws { try writer.write(self) }
    public init(json reader: inout JSONReader) throws { self = try reader.readDate() }
}

extension Array: JSONCodable where Element: JSONCodable {
    public func encodeJSON(to writer: inout JSONWriter) throws {
        writer.beginArray()
        for element in self { try element.encodeJSON(to: &writer) }
        writer.endArray()
    }

    public init(json reader: inout JSONReader) throws {
        var elements: [Element] = []
        try reader.readArray { elements.append(try Element(json: &$0)) }
        self = elements
    }
}

extension Optional: JSONCodable where Wrapped: JSONCodable {
    /// Writes `null` for `nil` (members that are `nil` are left out by generated encoders).
    public func encodeJSON(to writer: inout JSONWriter) throws {
        switch self {
        case .some(let value): try value.encodeJSON(to: &writer)
        case .none: writer.writeNull()
        }
    }

    public init(json reader: inout JSONReader) throws {
        self = reader.readNull() ? nil : try Wrapped(json: &reader)
    }
}

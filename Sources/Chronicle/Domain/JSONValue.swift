/// A JSON value read whole: what an upcast works on when a payload was stored by an earlier
/// version of its event. Numbers keep their text, so that no whole number loses digits on the
/// way through a `Double`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as written (`12`, `-3.5`, `1e3`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// An object; member order does not matter to a decoder, so it is not kept.
    case object([String: JSONValue])

    /// Reads a whole JSON text.
    /// - Throws: ``JSONReader/Failure`` with the byte offset of the first problem.
    public init(jsonBytes bytes: [UInt8]) throws {
        var reader = JSONReader(bytes)
        self = try reader.readValue()
        try reader.finish()
    }

    /// The JSON text, members in name order.
    public func jsonBytes() -> [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }

    /// Writes the value.
    public func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.writeNull()
        case .bool(let value): writer.write(value)
        case .number(let text): writer.writeNumber(literal: text)
        case .string(let text): writer.write(text)
        case .array(let elements):
            writer.beginArray()
            for element in elements { element.write(to: &writer) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for name in members.keys.sorted() {
                writer.key(dynamic: name)
                members[name]?.write(to: &writer)
            }
            writer.endObject()
        }
    }

    /// The members, when the value is an object.
    public var members: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// What kind of value it is, for messages: `an object`, `a number`, …
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension JSONReader {
    /// Reads whatever value comes next, whole.
    public mutating func readValue() throws -> JSONValue {
        switch nextByte {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try readObject { name, reader in members[name] = try reader.readValue() }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try readArray { elements.append(try $0.readValue()) }
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool())
        case UInt8(ascii: "n"):
            guard readNull() else { throw failure("expected null") }
            return .null
        default: return .number(try readNumberText())
        }
    }
}

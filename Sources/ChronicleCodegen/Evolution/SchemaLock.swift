import Foundation

/// What a schema's existing logs depend on, recorded beside it as `NAME.chronicle.lock` and
/// committed: every event's stored name, version and payload shape, its former names, and how
/// it is undone. The build compares the schema with its lock and refuses changes that would
/// make existing logs unreadable or change their meaning (see ``LockCheck``); `chronicle lock`
/// (or `swift package chronicle-lock`) writes it deliberately.
///
/// The file is JSON with sorted keys, so that a change to it reads well in a diff.
public struct SchemaLock: Codable, Hashable, Sendable {
    /// The lock file format this generator writes and reads.
    public static let currentFormat = 1

    /// The lock file format.
    public var format: Int
    /// The schema file the lock belongs to (its name, without a folder).
    public var schema: String
    /// The events, by stored type name (`Account.Deposited`).
    public var events: [String: LockedEvent]

    /// Creates a lock.
    public init(schema: String, events: [String: LockedEvent]) {
        self.format = Self.currentFormat
        self.schema = schema
        self.events = events
    }

    private enum CodingKeys: String, CodingKey {
        case format = "chronicleLock", schema, events
    }

    /// The lock as its file holds it.
    public func fileText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and dictionaries cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Reads a lock file's text.
    /// - Throws: ``LockFileError`` with the reason.
    public init(fileText text: String) throws {
        do {
            self = try JSONDecoder().decode(SchemaLock.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw LockFileError(reason: Self.describe(error))
        }
        guard format == Self.currentFormat else {
            throw LockFileError(reason: "lock format \(format) is not one this generator reads (\(Self.currentFormat))")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context): return "not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)"
        case .keyNotFound(let key, let context): return "missing '\(key.stringValue)' at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "unexpected value at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "the top" : context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}

/// Why a lock file cannot be read.
public struct LockFileError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public var reason: String
    public var description: String { reason }
}

/// One event as a lock records it.
public struct LockedEvent: Codable, Hashable, Sendable {
    /// The version its payloads are stored with now.
    public var version: Int
    /// The payload's fields (a captured `previous` included), by stored name.
    public var fields: [String: TypeShape]
    /// Former stored type names that logs may still hold.
    public var formerly: [String]?
    /// How it is undone: `generated`, `swift`, `named:OTHER` or `irreversible`.
    public var inverse: String

    /// Creates a locked event.
    public init(version: Int, fields: [String: TypeShape], formerly: [String]?, inverse: String) {
        self.version = version
        self.fields = fields
        self.formerly = formerly
        self.inverse = inverse
    }
}

/// The shape of a stored value: what its JSON may hold. Aliases are resolved (they do not
/// show in the JSON); names of enums and structs are kept for messages only.
public struct TypeShape: Codable, Hashable, Sendable {
    /// `String`, `Int`, `Int64`, `Double`, `Bool`, `UUID`, `Date`, `enum`, `struct` or `list`.
    public var type: String
    /// The enum's, struct's or id's name.
    public var name: String?
    /// Whether the value may be absent.
    public var optional: Bool?
    /// An enum's cases.
    public var cases: [String]?
    /// A struct's fields.
    public var fields: [String: TypeShape]?
    /// A list's element.
    public var element: TypeShape? {
        get { elementBox?.first }
        set { elementBox = newValue.map { [$0] } }
    }
    private var elementBox: [TypeShape]?

    /// Creates a shape.
    public init(type: String, name: String? = nil, optional: Bool? = nil, cases: [String]? = nil, fields: [String: TypeShape]? = nil, element: TypeShape? = nil) {
        self.type = type
        self.name = name
        self.optional = optional
        self.cases = cases
        self.fields = fields
        self.elementBox = element.map { [$0] }
    }

    private enum CodingKeys: String, CodingKey {
        case type, name, optional, cases, fields, element
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        optional = try container.decodeIfPresent(Bool.self, forKey: .optional)
        cases = try container.decodeIfPresent([String].self, forKey: .cases)
        fields = try container.decodeIfPresent([String: TypeShape].self, forKey: .fields)
        elementBox = try container.decodeIfPresent(TypeShape.self, forKey: .element).map { [$0] }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(optional, forKey: .optional)
        try container.encodeIfPresent(cases, forKey: .cases)
        try container.encodeIfPresent(fields, forKey: .fields)
        try container.encodeIfPresent(element, forKey: .element)
    }

    var isOptional: Bool { optional == true }

    /// How the shape reads in a message: `String`, `[Entry]`, `Channel?`.
    var spelled: String {
        var text: String
        switch type {
        case "enum", "struct": text = name ?? type
        case "list": text = "[\(element?.spelled ?? "?")]"
        default: text = name ?? type
        }
        if isOptional { text += "?" }
        return text
    }
}

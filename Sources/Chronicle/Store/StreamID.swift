/// The name of one event stream: the events of one aggregate instance, such as `Account-42`.
///
/// Stream names are opaque, case-sensitive UTF-8 strings of 1 to 65,535 bytes.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral, Codable {
    /// The stream's name.
    public let name: String

    /// Creates a stream id from its name.
    public init(_ name: String) { self.name = name }

    /// Creates a stream id from a string literal.
    public init(stringLiteral value: String) { self.name = value }

    public var description: String { name }

    public static func < (lhs: StreamID, rhs: StreamID) -> Bool { lhs.name < rhs.name }

    public init(from decoder: any Decoder) throws {
        self.name = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

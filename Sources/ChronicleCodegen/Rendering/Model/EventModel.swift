/// What `event.mustache` renders: an event's struct, with what it captures and its generated
/// inverse.
public struct EventModel: Sendable {
    /// The event's name, e.g. `Deposited`.
    public let name: String
    /// The name it is stored under, e.g. `Account.Deposited`.
    public let typeName: String
    /// The schema version of its payload.
    public let version: Int
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The event's fields.
    public let fields: [FieldModel]
    /// The initializer parameters, e.g. `amount: Money`.
    public let initParameters: String
    /// The statements of `encodeJSON(to:)` and `init(json:)`.
    public let jsonEncode: [String]
    public let jsonDecode: [String]
    /// Whether the event records what it overwrites (a nested `Previous`).
    public let captures: Bool
    /// The captured values' fields, and the statements of their initializer and codec.
    public let capturedFields: [FieldModel]
    public let previousInitParameters: String
    public let previousEncode: [String]
    public let previousDecode: [String]
    /// Whether the event has a generated inverse (a nested `Reverted`), and its codec.
    public let hasReverted: Bool
    public let revertedEncode: [String]
    public let revertedDecode: [String]
}

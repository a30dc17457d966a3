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
    /// The statements of `encodeJSON(to:)`.
    public let jsonEncode: [String]
    /// The statements of `init(json:)`.
    public let jsonDecode: [String]
    /// Whether the event records what it overwrites (a nested `Previous`).
    public let captures: Bool
    /// The captured values' fields.
    public let capturedFields: [FieldModel]
    /// The parameters of the captured values' initializer.
    public let previousInitParameters: String
    /// The statements of the captured values' `encodeJSON(to:)`.
    public let previousEncode: [String]
    /// The statements of the captured values' `init(json:)`.
    public let previousDecode: [String]
    /// Whether the event has a generated inverse (a nested `Reverted`).
    public let hasReverted: Bool
    /// The statements of the generated inverse's `encodeJSON(to:)`.
    public let revertedEncode: [String]
    /// The statements of the generated inverse's `init(json:)`.
    public let revertedDecode: [String]
    /// Whether the event reads payloads of earlier versions (its version is above 1).
    public let hasUpcast: Bool
    /// Whether that upcast is written in Swift (`upcast: swift`).
    public let upcastIsSwift: Bool
    /// The elements of the declarative upcast's `upcasts` list, one `PayloadUpcast` each.
    public let upcastSteps: [String]
    /// The statement that reads an earlier version's payload.
    public let upcastStatement: String
    /// The statement that reads an earlier version of the generated inverse.
    public let revertedUpcastStatement: String
    /// Whether the event was stored under other names before (`formerly`).
    public let wasRenamed: Bool
    /// Those names as a Swift array literal, e.g. `["Account.Notified"]`.
    public let formerTypeNamesList: String
}

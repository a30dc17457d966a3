/// What `aggregate.mustache` renders: an aggregate's namespace with its id, state, events and
/// commands (the last two through `event.mustache` and `command.mustache`).
public struct AggregateModel: Sendable {
    /// The aggregate's name.
    public let name: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The Swift type of the id's raw value: `UUID`, `String` or `Int`.
    public let idType: String
    /// Whether the id's raw value is a `UUID`.
    public let idIsUUID: Bool
    /// Whether the id's raw value is a `String`.
    public let idIsString: Bool
    /// Whether the id's raw value is an `Int`.
    public let idIsInt: Bool
    /// The state's fingerprint (see the runtime's `AggregateState.fingerprint`).
    public let fingerprint: String
    /// Whether some command creates the aggregate: then others require it to exist.
    public let requiresCreation: Bool
    /// The state's fields.
    public let stateFields: [FieldModel]
    /// Whether the state has any field.
    public let hasStateFields: Bool
    /// The state's initializer parameters, with defaults.
    public let stateInitParameters: String
    /// The cases of the state's `apply(_:)`, one per event and generated inverse.
    public let applyCases: [SwitchCaseModel]
    /// The cases of `capturing(_:)`: events that record what they overwrite.
    public let captureCases: [SwitchCaseModel]
    /// Whether any event captures what it overwrites.
    public let hasCaptureCases: Bool
    /// The events (rendered with `event.mustache`).
    public let events: [EventModel]
    /// The cases of the aggregate's `Event` enum, generated inverses included.
    public let eventCases: [EventCaseModel]
    /// The commands (rendered with `command.mustache`).
    public let commands: [CommandModel]
    /// Events applied in Swift (`apply: swift`), whose `apply` and `revert` users write.
    public let swiftEvents: [SwiftEventModel]
    /// Whether any event is applied in Swift.
    public let hasSwiftEvents: Bool
    /// Events whose earlier versions are read in Swift (`upcast: swift`).
    public let swiftUpcasts: [SwiftEventModel]
    /// Whether any event upcasts in Swift.
    public let hasSwiftUpcasts: Bool
}

/// A case of an aggregate's `Event` enum.
public struct EventCaseModel: Sendable {
    /// The case's name, e.g. `deposited` or `openedReverted`.
    public let caseName: String
    /// The event type it holds, e.g. `Deposited` or `Opened.Reverted`.
    public let type: String
    /// A one-line description.
    public let summary: String
    /// The expression of the fields the event changes (a `FieldChanges` value).
    public let fieldChanges: String
    /// How the case binds its event in `inverse` (`let event` or `_`).
    public let inverseBinding: String
    /// The inverse event's expression, or `nil` for an irreversible event.
    public let inverseExpression: String
    /// A string literal giving why the event cannot be undone, or `nil`.
    public let irreversibleReason: String
    /// The other names it decodes from, each as `, "Account.Notified"` (its former names).
    public let formerTypeNames: String
}

/// An event applied in Swift.
public struct SwiftEventModel: Sendable {
    /// The event's name.
    public let name: String
    /// Its aggregate's name.
    public let aggregate: String
    /// Whether it can be undone: an irreversible event needs no `revert`.
    public let revertible: Bool
}

/// A field of a struct, state, event, command or view row, as templates read it.
public struct FieldModel: Sendable {
    /// The Swift name, escaped with backticks when it is a keyword (`` `default` ``).
    public let name: String
    /// The Swift type (`Money`, `[Entry]`, `Account.ID?`).
    public let type: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The Swift expression of the default value, or empty when there is none.
    public let defaultValue: String
}

/// A `case` of a generated `switch`: its pattern and the statements under it.
public struct SwitchCaseModel: Sendable {
    /// The pattern, e.g. `.deposited(let event)`.
    public let pattern: String
    /// Swift statements, one per element.
    public let lines: [String]
}

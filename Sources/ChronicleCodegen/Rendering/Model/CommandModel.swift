/// What `command.mustache` renders: a command on one aggregate.
public struct CommandModel: Sendable {
    /// The command's name, e.g. `Deposit`.
    public let name: String
    /// Its aggregate's name.
    public let aggregate: String
    /// The module's name.
    public let module: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// Whether the command creates the aggregate.
    public let creates: Bool
    /// The command's fields.
    public let fields: [FieldModel]
    /// The initializer parameters, the target id first.
    public let initParameters: String
    /// Whether Swift decides it (`decide: swift`).
    public let decideInSwift: Bool
    /// The body of a Swift-decided `decide`: the call to the rules.
    public let decideBody: String
    /// The events a generated `decide` returns, built from the command's fields.
    public let generatedEvents: String
    /// The error type `decide` throws (`Never` when it declares none).
    public let failure: String
    /// Whether the command declares errors.
    public let hasErrors: Bool
    /// The declared errors, escaped where they are keywords.
    public let errors: [String]
}

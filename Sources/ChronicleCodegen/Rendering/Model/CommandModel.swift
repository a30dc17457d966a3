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
    /// Whether Swift decides it (`decide: swift`); then `decideBody` calls the rules, otherwise
    /// `generatedEvents` builds the events from the fields.
    public let decideInSwift: Bool
    public let decideBody: String
    public let generatedEvents: String
    /// The error type `decide` throws (`Never` when it declares none), and its cases.
    public let failure: String
    public let hasErrors: Bool
    public let errors: [String]
}

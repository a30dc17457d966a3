/// What `module-command.mustache` renders: a command on several aggregates.
public struct ModuleCommandModel: Sendable {
    /// The command's name, e.g. `Transfer`.
    public let name: String
    /// The module's name.
    public let module: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The aggregates it targets.
    public let targets: [TargetModel]
    /// The command's fields.
    public let fields: [FieldModel]
    /// The initializer parameters: target ids, then fields.
    public let initParameters: String
    /// The parameters of the nested `Events`' initializer.
    public let eventsInitParameters: String
    /// The target labels run together, e.g. `from:to:`.
    public let targetLabels: String
    /// The parameters of `decide`: the targets' states.
    public let decideParameters: String
    /// The arguments that pass the targets' states to the rules.
    public let decideArguments: String
    /// The error type `decide` throws (`Never` when it declares none).
    public let failure: String
    /// `try ` when `decide` can throw, empty otherwise.
    public let tryPrefix: String
    /// Whether the command declares errors.
    public let hasErrors: Bool
    /// The declared errors, escaped where they are keywords.
    public let errors: [String]
}

/// A target of a command on several aggregates.
public struct TargetModel: Sendable {
    /// The target's name, e.g. `from`.
    public let name: String
    /// The aggregate it names.
    public let aggregate: String
    /// The Swift type of what the command records on it.
    public let eventsType: String
}

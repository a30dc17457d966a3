/// What `module-file.mustache` renders: the module-wide types (`<Module>Event`, `<Module>Rules`,
/// `<Module>Schema`, commands, queries, the app).
public struct ModuleFileModel: Sendable {
    /// The generated file's name, e.g. `Bank.chronicle-module.swift`.
    public let fileName: String
    /// The module's name.
    public let module: String
    /// Every aggregate of the module.
    public let aggregates: [ModuleAggregateModel]
    /// The requirements of the rules protocol: one `decide` per command decided in Swift.
    public let rules: [RuleModel]
    /// The typed command calls.
    public let commandMethods: [CommandMethodModel]
    /// The fingerprint of the whole module.
    public let fingerprint: String
    /// Every event type, generated inverses included.
    public let eventTypes: [String]
    /// Every view of the module.
    public let views: [ModuleViewModel]
    /// What each event changes, for revert planning.
    public let eventChanges: [EventChangeModel]
    /// The view hosts, comma-separated.
    public let hostList: String
}

/// An aggregate, as the module file names it.
public struct ModuleAggregateModel: Sendable {
    /// The aggregate's name and the `<Module>Event` case that holds its events.
    public let name: String
    public let caseName: String
}

/// A requirement of the rules protocol.
public struct RuleModel: Sendable {
    /// A one-line description, the parameters of `decide`, the error it throws and what it returns.
    public let summary: String
    public let parameters: String
    public let failure: String
    public let result: String
}

/// A typed command call of `<Module>Commands`.
public struct CommandMethodModel: Sendable {
    /// The method's name, a one-line description, its parameters and its statements.
    public let name: String
    public let summary: String
    public let parameters: String
    public let lines: [String]
}

/// A view, as the module file names it.
public struct ModuleViewModel: Sendable {
    /// The view's name, the property that holds it, its doc lines, and whether it is the last.
    public let name: String
    public let property: String
    public let doc: [String]
    public let last: Bool
}

/// What one event (and its generated inverse) changes.
public struct EventChangeModel: Sendable {
    /// The patterns that match the event, and `FieldChanges` expressions of what it changes in
    /// its own stream and in views every stream shares.
    public let pattern: String
    public let changes: String
    public let shared: String
}

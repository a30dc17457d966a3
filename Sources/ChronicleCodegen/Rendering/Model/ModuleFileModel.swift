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
    /// Event types stored under former names, with the names they have now.
    public let renamedTypes: [RenamedTypeModel]
    /// Whether any event type was renamed.
    public let hasRenamedTypes: Bool
}

/// An aggregate, as the module file names it.
public struct ModuleAggregateModel: Sendable {
    /// The aggregate's name.
    public let name: String
    /// The `<Module>Event` case that holds its events.
    public let caseName: String
}

/// A requirement of the rules protocol.
public struct RuleModel: Sendable {
    /// A one-line description.
    public let summary: String
    /// The parameters of `decide`.
    public let parameters: String
    /// The error `decide` throws (`Never` when none).
    public let failure: String
    /// What `decide` returns.
    public let result: String
}

/// A typed command call of `<Module>Commands`.
public struct CommandMethodModel: Sendable {
    /// The method's name.
    public let name: String
    /// A one-line description.
    public let summary: String
    /// The method's parameters.
    public let parameters: String
    /// The method's statements.
    public let lines: [String]
}

/// A view, as the module file names it.
public struct ModuleViewModel: Sendable {
    /// The view's name.
    public let name: String
    /// The property of `<Module>Views` that holds it.
    public let property: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// Whether it is the module's last view (for separators).
    public let last: Bool
}

/// What one event (and its generated inverse) changes.
public struct EventChangeModel: Sendable {
    /// The patterns that match the event and its generated inverse.
    public let pattern: String
    /// What it changes in its own stream, as a `FieldChanges` expression.
    public let changes: String
    /// What it changes in views every stream shares, as a `FieldChanges` expression.
    public let shared: String
}

/// An event type's former name and its name now (`Account.Notified` → `Account.MessageSent`).
public struct RenamedTypeModel: Sendable {
    /// The name it was stored under.
    public let former: String
    /// Its name now.
    public let current: String
}

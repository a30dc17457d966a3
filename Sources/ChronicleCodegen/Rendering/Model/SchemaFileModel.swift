/// What `schema-file.mustache` renders: one generated file per schema.
///
/// This and the other `…Model` types are the contract between the generator and templates
/// (built-in or overridden): a template may read exactly these properties, by their names, and
/// the generator refuses a template that reads anything else. The contract's version is
/// ``TemplateModel/version``.
public struct SchemaFileModel: Sendable {
    /// The generated file's name, e.g. `Bank.chronicle.swift`.
    public let fileName: String
    /// The schema file's name, e.g. `Bank.chronicle.yaml`.
    public let schemaFile: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The schema's types (rendered with `type.mustache`).
    public let types: [TypeModel]
    /// The schema's aggregates (rendered with `aggregate.mustache`).
    public let aggregates: [AggregateModel]
    /// The schema's commands on several aggregates (rendered with `module-command.mustache`).
    public let moduleCommands: [ModuleCommandModel]
    /// The schema's views (rendered with `view.mustache`).
    public let views: [ViewModel]
}

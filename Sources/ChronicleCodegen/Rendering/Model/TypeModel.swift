/// What `type.mustache` renders: an alias, an enum or a struct of the schema's `types`.
public struct TypeModel: Sendable {
    /// The type's name.
    public let name: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// Whether the type is an alias; then `underlying` is what it stands for.
    public let isAlias: Bool
    /// The Swift type an alias stands for; empty for enums and structs.
    public let underlying: String
    /// Whether the type is an enum; then `cases` holds its cases.
    public let isEnum: Bool
    /// An enum's cases, escaped where they are keywords.
    public let cases: [String]
    /// Whether the type is a struct; then `fields`, `initParameters` and the JSON lines apply.
    public let isStruct: Bool
    /// A struct's fields.
    public let fields: [FieldModel]
    /// A struct's initializer parameters, e.g. `kind: EntryKind, amount: Money`.
    public let initParameters: String
    /// The statements of a struct's `encodeJSON(to:)`.
    public let jsonEncode: [String]
    /// The statements of a struct's `init(json:)`.
    public let jsonDecode: [String]
}

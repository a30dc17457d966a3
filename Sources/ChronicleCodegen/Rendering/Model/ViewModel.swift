/// What `view.mustache` renders: a view's rows, indexes, projection and undo.
public struct ViewModel: Sendable {
    /// The view's name.
    public let name: String
    /// The module's name.
    public let module: String
    /// The schema's `doc`, one line per element.
    public let doc: [String]
    /// The view's fingerprint (see the runtime's `Projection.fingerprint`).
    public let fingerprint: String
    /// Whether the `switch` over events needs a `default:` (the view handles some events only).
    public let needsDefault: Bool
    /// Whether the view has one row per aggregate (`key`).
    public let keyed: Bool
    /// The aggregate a keyed view has one row per; empty for a view with a single row.
    public let key: String
    /// The row's fields.
    public let fields: [FieldModel]
    /// The indexed fields.
    public let index: [IndexModel]
    /// The indexed fields' stored names as a Swift array literal (`["owner"]`), for
    /// `Projection.indexedFields`.
    public let indexedFieldsLiteral: String
    /// The cases of `apply`.
    public let applyCases: [SwitchCaseModel]
    /// The cases of `undo`.
    public let undoCases: [SwitchCaseModel]
}

/// An indexed field of a view.
public struct IndexModel: Sendable {
    /// The field's Swift name.
    public let name: String
    /// The field's name with a capital first letter.
    public let upperName: String
    /// The field's Swift type.
    public let type: String
}

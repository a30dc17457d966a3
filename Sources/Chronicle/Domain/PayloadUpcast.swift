/// How a payload stored by one version of an event is read as the next version's: one step of a
/// schema's declarative `upcast` (`removed`, `renamed`, `added`, `cases`).
///
/// Changes apply in a fixed order: `removed` and the old names of `renamed` use the stored
/// version's field names; `added` and `cases` use the next version's. Only top-level fields
/// of the event are changed; a payload stays untouched where a change does not apply (an
/// optional field that was absent stays absent when renamed).
public struct PayloadUpcast: Sendable, Hashable {
    /// One change to a payload's fields.
    public enum Change: Sendable, Hashable {
        /// A field dropped from the payload.
        case removed(field: String)
        /// A field that now has another name.
        case renamed(from: String, to: String)
        /// A field that did not exist, with the value old payloads mean; a payload that has
        /// the field keeps its own.
        case added(field: String, value: JSONValue)
        /// Enum cases renamed in a field (a single value or a list of them). The field may be a
        /// path into an object, `previous.tier`: the generator maps the values an event
        /// captured too.
        case cases(field: String, mapping: [String: String])

        var order: Int {
            switch self {
            case .removed: return 0
            case .renamed: return 1
            case .added: return 2
            case .cases: return 3
            }
        }
    }

    /// The version a payload has before this step; after it, it has `from + 1`.
    public var from: Int32
    /// The changes.
    public var changes: [Change]

    /// Creates a step.
    public init(from: Int32, changes: [Change]) {
        self.from = from
        self.changes = changes
    }

    /// Applies the step to a payload's fields.
    public func apply(to fields: inout [String: JSONValue]) {
        for change in changes.sorted(by: { $0.order < $1.order }) {
            switch change {
            case .removed(let field):
                fields[field] = nil
            case .renamed(let old, let new):
                if let value = fields.removeValue(forKey: old) { fields[new] = value }
            case .added(let field, let value):
                if fields[field] == nil { fields[field] = value }
            case .cases(let field, let mapping):
                Self.renameCases(at: field.split(separator: ".").map(String.init)[...], in: &fields, mapping)
            }
        }
    }

    private static func renameCases(at path: ArraySlice<String>, in fields: inout [String: JSONValue], _ mapping: [String: String]) {
        guard let name = path.first, let value = fields[name] else { return }
        if path.count > 1 {
            guard var members = value.members else { return }
            renameCases(at: path.dropFirst(), in: &members, mapping)
            fields[name] = .object(members)
            return
        }
        switch value {
        case .string(let text):
            if let renamed = mapping[text] { fields[name] = .string(renamed) }
        case .array(let elements):
            fields[name] = .array(elements.map { element in
                if case .string(let text) = element, let renamed = mapping[text] { return .string(renamed) }
                return element
            })
        default:
            break
        }
    }
}

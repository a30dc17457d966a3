/// A checked field: of a state, an event, a command, a view or a struct.
struct Field: Hashable {
    var name: String
    var type: FieldType
    var doc: String?
    /// The Swift expression of the field's default (state, view and struct fields).
    var defaultValue: String?
}

struct TypeDeclaration {
    enum Kind {
        case alias(FieldType)
        case enumeration([String])
        case structure([Field])
    }

    var name: String
    var doc: String?
    var kind: Kind
    var file: String
}

/// A value an operation uses.
indirect enum Value: Hashable {
    /// A field of the event.
    case eventField(String)
    /// A Swift literal, e.g. `0`, `.open`, `true`.
    case literal(String)
    /// Something from the event's envelope: `$recordedAt`, `$position`, `$actor`, `$id`…
    case envelope(String)
    /// A struct built from values, for `append`.
    case object(type: String, [(field: String, value: Value)])

    static func == (lhs: Value, rhs: Value) -> Bool { lhs.key == rhs.key }
    func hash(into hasher: inout Hasher) { hasher.combine(key) }

    /// A canonical spelling, for comparisons and fingerprints.
    var key: String {
        switch self {
        case .eventField(let name): return "field:\(name)"
        case .literal(let text): return "literal:\(text)"
        case .envelope(let name): return "$\(name)"
        case .object(let type, let fields): return "\(type){" + fields.map { "\($0.field)=\($0.value.key)" }.joined(separator: ",") + "}"
        }
    }
}

enum OperationKind: String, Hashable {
    case set, add, subtract, append, remove
}

/// One operation on a state or view field.
struct Operation: Hashable {
    var kind: OperationKind
    var target: Field
    var value: Value
}

struct Event {
    enum Inverse {
        /// Another event of the aggregate undoes this one.
        case named(String)
        /// A generated `Reverted` event restores what this one changed.
        case generated
        /// Written in Swift, next to the Swift `apply`.
        case swift
        case irreversible(reason: String)
    }

    var name: String
    var aggregate: String
    var doc: String?
    var version: Int
    var fields: [Field]
    /// `nil` when the event is applied in Swift.
    var operations: [Operation]?
    var inverse: Inverse
    /// Whether the event always starts its stream (emitted only by creating commands).
    var isCreating = false
    /// Names it was stored under before it was renamed (without the aggregate).
    var formerNames: [String] = []
    /// How payloads stored by earlier versions are read.
    var upcast: Upcast = .none
    /// Where the event is declared, and its version (for the lock check's diagnostics).
    var location: SourceLocation?
    var versionLocation: SourceLocation?
    var fieldLocations: [String: SourceLocation] = [:]

    var typeName: String { "\(aggregate).\(name)" }
    /// State fields whose previous values are captured when the event is recorded.
    var capturedFields: [Field] {
        var seen = Set<String>()
        return (operations ?? []).filter { $0.kind == .set && seen.insert($0.target.name).inserted }.map(\.target)
    }
    var removedLists: [Field] { (operations ?? []).filter { $0.kind == .remove }.map(\.target) }
    var capturesAnything: Bool { !capturedFields.isEmpty || !removedLists.isEmpty }
}

/// How an event reads payloads of its earlier versions.
enum Upcast {
    /// Version 1: there is nothing earlier.
    case none
    /// A function written in Swift.
    case swift
    /// Declarative steps, one from each earlier version.
    case steps([UpcastStep])
}

/// How a payload of version `from` becomes one of `from + 1`.
struct UpcastStep {
    enum Change {
        case removed(String)
        case renamed(from: String, to: String)
        /// The field, the Swift expression of its `JSONValue`, and its JSON text.
        case added(String, json: String, jsonText: String)
        case cases(String, [(from: String, to: String)])
    }

    var from: Int
    var changes: [Change]
}

struct Command {
    var name: String
    var aggregate: String
    var doc: String?
    var fields: [Field]
    var creates: Bool
    var emits: [String]
    var errors: [String]
    var decideInSwift: Bool
}

struct ModuleCommand {
    var name: String
    var doc: String?
    var fields: [Field]
    var targets: [(name: String, aggregate: String, events: [String])]
    var errors: [String]
    var file: String
}

struct Aggregate {
    var name: String
    var doc: String?
    var idType: FieldType
    var state: [Field]
    var events: [Event]
    var commands: [Command]
    var file: String
    /// Stands for the Swift that builds the state (`apply: swift`) in fingerprints: raising it
    /// makes existing snapshots stale.
    var revision = 1

    func event(named name: String) -> Event? { events.first { $0.name == name } }
}

struct View {
    struct Handler {
        var aggregate: String
        var event: String
        var operations: [Operation]
        var eventIsCreating: Bool
    }

    var name: String
    var doc: String?
    /// The aggregate whose ids key the rows; `nil` for a view with a single row.
    var key: String?
    var fields: [Field]
    var index: [Field]
    var handlers: [Handler]
    var file: String
}

/// Everything the schemas of one module declare, checked.
struct Module {
    var name: String
    var files: [String]
    var types: [TypeDeclaration] = []
    var aggregates: [Aggregate] = []
    var commands: [ModuleCommand] = []
    var views: [View] = []

    func aggregate(named name: String) -> Aggregate? { aggregates.first { $0.name == name } }
    func type(named name: String) -> TypeDeclaration? { types.first { $0.name == name } }
}

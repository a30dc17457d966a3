/// A value with the place it was written.
struct Located<Value> {
    var value: Value
    var location: SourceLocation
}

/// A schema file as written, before any check beyond its shape.
struct SchemaSyntax {
    var file: String
    var doc: String?
    var types: [TypeSyntax] = []
    var aggregates: [AggregateSyntax] = []
    var commands: [CommandSyntax] = []
    var views: [ViewSyntax] = []
}

/// How a field's type is written: `Name`, `Name?` or `[Name]`.
struct TypeExpression {
    var name: String
    var isOptional = false
    var isList = false

    /// Parses `Name`, `Name?`, `[Name]`, `[Name]?`.
    init(parsing text: String) {
        var text = TypeExpression.trimmed(Substring(text))
        if text.hasSuffix("?") {
            isOptional = true
            text.removeLast()
        }
        if text.hasPrefix("["), text.hasSuffix("]") {
            isList = true
            text = TypeExpression.trimmed(Substring(text).dropFirst().dropLast())
        }
        name = text
    }

    private static func trimmed(_ text: Substring) -> String {
        var start = text.startIndex, end = text.endIndex
        while start < end, text[start] == " " || text[start] == "\t" { start = text.index(after: start) }
        while end > start, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" { end = text.index(before: end) }
        return String(text[start..<end])
    }

    init(name: String, isOptional: Bool = false, isList: Bool = false) {
        self.name = name
        self.isOptional = isOptional
        self.isList = isList
    }
}

struct FieldSyntax {
    var name: Located<String>
    var type: Located<TypeExpression>
    var defaultValue: YAMLNode?
    var doc: String?
}

struct TypeSyntax {
    enum Kind {
        case alias(Located<TypeExpression>)
        case enumeration([Located<String>])
        case structure([FieldSyntax])
    }

    var name: Located<String>
    var kind: Kind
    var doc: String?
}

/// One operation of an `apply` or view handler: `set: { target: value }` and the like.
struct OperationSyntax {
    var kind: Located<String>
    var target: Located<String>
    var value: YAMLNode
}

struct EventSyntax {
    var name: Located<String>
    var doc: String?
    var version: Located<Int>?
    var fields: [FieldSyntax] = []
    /// `nil` when `apply: swift`.
    var operations: [OperationSyntax]? = []
    var applyLocation: SourceLocation?
    var inverse: Located<String>?
    var irreversible: Located<String>?
    /// Names the event was stored under before it was renamed.
    var formerly: [Located<String>] = []
    /// How payloads of earlier versions are read.
    var upcast: UpcastSyntax?
}

struct CommandSyntax {
    var name: Located<String>
    var doc: String?
    var fields: [FieldSyntax] = []
    var creates: Located<Bool>?
    /// For an aggregate's command: event names. For a module command: per target, event names.
    var emits: [Located<String>] = []
    var emitsByTarget: [(target: Located<String>, events: [Located<String>])] = []
    var targets: [(name: Located<String>, aggregate: Located<String>)] = []
    var errors: [Located<String>] = []
    var decideSwift: Located<Bool>?
}

struct AggregateSyntax {
    var name: Located<String>
    var doc: String?
    var id: Located<String>?
    var revision: Located<Int>?
    var state: [FieldSyntax] = []
    var events: [EventSyntax] = []
    var commands: [CommandSyntax] = []
}

struct ViewSyntax {
    var name: Located<String>
    var doc: String?
    var key: Located<String>?
    var fields: [FieldSyntax] = []
    var index: [Located<String>] = []
    var handlers: [(event: Located<String>, operations: [OperationSyntax])] = []
}

/// An event's `upcast`: Swift, or one declarative step per earlier version.
enum UpcastSyntax {
    case swift(SourceLocation)
    case steps([UpcastStepSyntax], SourceLocation)

    var location: SourceLocation {
        switch self {
        case .swift(let location), .steps(_, let location): return location
        }
    }
}

/// How a payload of version `from` becomes one of version `from + 1`.
struct UpcastStepSyntax {
    var from: Located<Int>
    var removed: [Located<String>] = []
    var renamed: [(from: Located<String>, to: Located<String>)] = []
    var added: [(field: Located<String>, value: YAMLNode)] = []
    var cases: [(field: Located<String>, mapping: [(from: Located<String>, to: Located<String>)])] = []
}

/// The version of the template model: the `…Model` types templates read. It changes when a
/// property is removed, renamed or changes meaning; an override may state the version it was
/// written for with a comment tag, `{{! chronicle-template-model: 1 }}`, and the generator
/// refuses it under another version.
public enum TemplateModel {
    /// The current version.
    public static let version = 1
}

/// Checks that a template reads only what its model has: every `{{name}}`, section and
/// inverted section must name a property of a model in scope (mustache looks names up through
/// the enclosing sections). Without this, a misspelled name renders as empty text.
struct TemplateCheck {
    /// The shape of a model type, learned by reflecting values of it.
    final class Shape {
        let typeName: String
        var properties: [String: Property] = [:]
        /// The order properties are declared in, for stable reports.
        var order: [String] = []

        init(typeName: String) { self.typeName = typeName }
    }

    enum Property {
        /// Text or a number.
        case value
        /// A Bool: a section shows or hides its content.
        case flag
        /// Lines of text: a section repeats with `{{.}}` as each line.
        case lines
        /// Models: a section repeats with each as the innermost scope.
        case list(Shape)
    }

    /// A problem in a template, at a 1-based line and column.
    struct Problem: Error {
        var template: String
        var message: String
        var line: Int
        var column: Int
        var hint: String?
    }

    /// The model each template is rendered with; partials see their includer's scopes too.
    let roots: [String: Shape]
    let templates: [String: String]
    /// `(type, property)` pairs some template read.
    private(set) var used: Set<String> = []
    private var checkedPartials: Set<String> = []

    init(templates: [String: String], schemaFile: SchemaFileModel, moduleFile: ModuleFileModel) {
        self.templates = templates
        var shapes: [String: Shape] = [:]
        roots = [
            "schema-file": Self.shape(of: schemaFile, into: &shapes),
            "module-file": Self.shape(of: moduleFile, into: &shapes),
        ]
    }

    /// Every property of every model type, as `Type.property`.
    var allProperties: [String] {
        var seen: Set<String> = []
        var result: [String] = []
        func visit(_ shape: Shape) {
            guard seen.insert(shape.typeName).inserted else { return }
            for name in shape.order {
                result.append("\(shape.typeName).\(name)")
                if case .list(let element)? = shape.properties[name] { visit(element) }
            }
        }
        for root in roots.keys.sorted() { if let shape = roots[root] { visit(shape) } }
        return result
    }

    /// Learns a model's shape from a value; lists contribute every element, so one value with
    /// a non-empty list of each kind describes the whole model.
    static func shape(of value: Any, into shapes: inout [String: Shape]) -> Shape {
        let typeName = String(describing: type(of: value))
        let shape = shapes[typeName] ?? Shape(typeName: typeName)
        shapes[typeName] = shape
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            if shape.properties[label] == nil { shape.order.append(label) }
            // By static type: an empty array of models would also pass `is [String]`.
            let valueType = type(of: child.value)
            switch child.value {
            case is Bool: shape.properties[label] = .flag
            case is String, is Int: shape.properties[label] = .value
            case _ where valueType == [String].self: shape.properties[label] = .lines
            default:
                let mirror = Mirror(reflecting: child.value)
                guard mirror.displayStyle == .collection else {
                    shape.properties[label] = .value
                    continue
                }
                var element: Shape?
                for item in mirror.children { element = Self.shape(of: item.value, into: &shapes) }
                if let element {
                    shape.properties[label] = .list(element)
                } else if shape.properties[label] == nil {
                    // An empty list of a type not met yet: its elements' shape is learned from
                    // another value, or stays unknown (and then its names are not checked).
                    shape.properties[label] = .list(Shape(typeName: "?"))
                }
            }
        }
        return shape
    }

    /// Checks a template rendered as `name` (a root or a partial) with the given scopes.
    mutating func check(_ name: String) throws {
        guard let root = roots[name] else { return }
        try check(template: name, scopes: [root])
    }

    private mutating func check(template name: String, scopes: [Shape]) throws {
        guard let text = templates[name] else { return }
        var scopes = scopes
        // Open sections: the name, and whether it pushed a scope.
        var open: [(name: String, pushed: Bool)] = []
        let characters = Array(text.unicodeScalars)
        var index = 0, line = 1, column = 1
        func advance(_ count: Int) {
            for _ in 0..<count where index < characters.count {
                if characters[index] == "\n" { line += 1; column = 1 } else { column += 1 }
                index += 1
            }
        }
        while index < characters.count {
            guard characters[index] == "{", index + 1 < characters.count, characters[index + 1] == "{" else {
                advance(1)
                continue
            }
            let tagLine = line, tagColumn = column
            let triple = index + 2 < characters.count && characters[index + 2] == "{"
            var end = index + (triple ? 3 : 2)
            while end + 1 < characters.count, !(characters[end] == "}" && characters[end + 1] == "}") { end += 1 }
            guard end + 1 < characters.count else {
                throw Problem(template: name, message: "a tag is not closed", line: tagLine, column: tagColumn)
            }
            var tag = String(String.UnicodeScalarView(characters[(index + (triple ? 3 : 2))..<end]))
            advance(end + 2 - index + (triple && end + 2 < characters.count && characters[end + 2] == "}" ? 1 : 0))
            tag = tag.trimmingCharacters(in: .whitespaces)
            guard let kind = tag.first else { continue }
            let body = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            switch kind {
            case "!":
                if body.hasPrefix("chronicle-template-model:") {
                    let version = body.dropFirst("chronicle-template-model:".count).trimmingCharacters(in: .whitespaces)
                    if Int(version) != TemplateModel.version {
                        throw Problem(template: name, message: "the template was written for template model \(version); this generator renders version \(TemplateModel.version)",
                                      line: tagLine, column: tagColumn, hint: "compare it with the built-in template of the same name")
                    }
                }
            case "%":
                continue
            case ">":
                let key = "\(body)@\(scopes.map(\.typeName).joined(separator: "/"))"
                if checkedPartials.insert(key).inserted { try check(template: body, scopes: scopes) }
            case "#", "^":
                let property = try resolve(body, in: scopes, template: name, line: tagLine, column: tagColumn)
                if kind == "#", case .list(let element)? = property {
                    scopes.append(element)
                    open.append((body, true))
                } else {
                    open.append((body, false))
                }
            case "/":
                guard let last = open.popLast(), last.name == body else {
                    throw Problem(template: name, message: "'{{/\(body)}}' closes no open section", line: tagLine, column: tagColumn)
                }
                if last.pushed { scopes.removeLast() }
            default:
                let variable = kind == "&" || kind == "{" ? body : tag
                _ = try resolve(variable, in: scopes, template: name, line: tagLine, column: tagColumn)
            }
        }
    }

    /// The property a name refers to in the innermost scope that has it; `.` is the current item.
    private mutating func resolve(_ name: String, in scopes: [Shape], template: String, line: Int, column: Int) throws -> Property? {
        guard name != "." else { return nil }
        let first = String(name.split(separator: ".").first ?? Substring(name))
        for scope in scopes.reversed() {
            if scope.typeName == "?" { return nil }
            if let property = scope.properties[first] {
                used.insert("\(scope.typeName).\(first)")
                return property
            }
        }
        let innermost = scopes.last
        let candidates = scopes.flatMap { $0.order }
        throw Problem(template: template, message: "the template reads '\(name)', which \(innermost?.typeName ?? "its model") does not have", line: line, column: column,
                      hint: Suggestion.hint(for: first, among: candidates) ?? "the model's properties: \(innermost?.order.joined(separator: ", ") ?? "")")
    }
}

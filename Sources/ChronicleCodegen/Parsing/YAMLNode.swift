import Yams

/// A YAML node with its place in the file: what the schema parser reads.
struct YAMLNode {
    enum Kind {
        case scalar(String, quoted: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    let kind: Kind
    let location: SourceLocation

    var scalar: String? { if case .scalar(let text, _) = kind { return text } else { return nil } }
    var isQuoted: Bool { if case .scalar(_, let quoted) = kind { return quoted } else { return false } }
    var pairs: [(key: YAMLNode, value: YAMLNode)]? { if case .mapping(let pairs) = kind { return pairs } else { return nil } }
    var items: [YAMLNode]? { if case .sequence(let items) = kind { return items } else { return nil } }

    var kindName: String {
        switch kind {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Parses a file's text; YAML errors become diagnostics at their place.
    static func parse(_ text: String, file: String, diagnostics: inout Diagnostics) -> YAMLNode? {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                diagnostics.error("the schema file is empty", at: SourceLocation(file: file, line: 1, column: 1))
                return nil
            }
            return YAMLNode(root, file: file)
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
                let message = "YAML syntax error: \(problem)" + (context.map { " (\($0.text))" } ?? "")
                diagnostics.error(message, at: SourceLocation(file: file, line: mark.line, column: mark.column))
            case let .duplicatedKeysInMapping(duplicates, context):
                diagnostics.error("duplicate key '\(duplicates.joined(separator: "', '"))' in a mapping", at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
            case let .reader(problem, _, _, _):
                diagnostics.error("cannot read the schema file: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
            default:
                diagnostics.error("cannot read the schema file: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            }
            return nil
        } catch {
            diagnostics.error("cannot read the schema file: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
            return nil
        }
    }

    private init(_ node: Node, file: String) {
        let mark = node.mark
        location = SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
        switch node {
        case .scalar(let scalar):
            kind = .scalar(scalar.string, quoted: scalar.style == .singleQuoted || scalar.style == .doubleQuoted)
        case .mapping(let mapping):
            kind = .mapping(mapping.map { (YAMLNode($0.key, file: file), YAMLNode($0.value, file: file)) })
        case .sequence(let sequence):
            kind = .sequence(sequence.map { YAMLNode($0, file: file) })
        case .alias:
            kind = .scalar("", quoted: false)
        }
    }
}

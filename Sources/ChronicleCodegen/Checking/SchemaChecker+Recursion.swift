/// Checking that no struct contains itself: a Swift struct that holds itself (directly, through
/// an optional or through an alias) has no finite size and does not compile. A list of itself is
/// fine, since an array holds its elements elsewhere.
extension SchemaChecker {
    mutating func checkRecursiveStructs() {
        // Each struct's fields that hold another struct by value, with where they are written.
        var edges: [String: [(field: Located<String>, target: String)]] = [:]
        for declaration in module.types {
            guard case .structure(let fields) = declaration.kind, case .structure(let syntax)? = typeSyntax[declaration.name]?.kind else { continue }
            edges[declaration.name] = fields.compactMap { field in
                guard let target = Self.structHeldByValue(field.type), let written = syntax.first(where: { $0.name.value == field.name }) else { return nil }
                return (written.name, target)
            }
        }
        // Depth-first, without recursion (a long chain of structs must not exhaust the stack);
        // an edge back to a struct on the current path closes a cycle.
        enum Mark { case onPath, done }
        var marks: [String: Mark] = [:]
        for start in module.types.map(\.name) where edges[start] != nil && marks[start] == nil {
            var path: [(name: String, next: Int)] = [(start, 0)]
            marks[start] = .onPath
            while let top = path.last {
                let outgoing = edges[top.name] ?? []
                guard top.next < outgoing.count else {
                    marks[top.name] = .done
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let edge = outgoing[top.next]
                switch marks[edge.target] {
                case .onPath:
                    let cycle = path.drop { $0.name != edge.target }.map(\.name) + [edge.target]
                    diagnostics.error("struct '\(edge.target)' contains itself (\(cycle.joined(separator: " → "))), so it has no finite size", at: edge.field.location,
                                      hint: "hold a list of it, e.g. '[\(edge.target)]', or the id of an aggregate instead")
                    unresolvedFields.insert(edge.field.value)
                case .done:
                    continue
                case nil:
                    marks[edge.target] = .onPath
                    path.append((edge.target, 0))
                }
            }
        }
    }

    /// The struct a field of this type holds by value, if any.
    static func structHeldByValue(_ type: FieldType) -> String? {
        switch type {
        case .structure(let name): return name
        case .optional(let wrapped): return structHeldByValue(wrapped)
        case .alias(_, let underlying): return structHeldByValue(underlying)
        default: return nil
        }
    }
}

/// A YAML node with its place in the file: what the schema parser reads.
///
/// Scalars stay text: the schema parser decides what a value means where it is used, so `on`,
/// `yes` or `1.0` are never turned into booleans or numbers behind its back (YAML 1.2's view,
/// not YAML 1.1's).
struct YAMLNode {
    enum Kind {
        case scalar(String, quoted: Bool)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    let kind: Kind
    let location: SourceLocation
    /// How many nodes this one stands for, itself and everything under it, aliases expanded:
    /// what walking it costs.
    let weight: Int

    /// A node whose children weigh `childrenWeight` together (the reader sums them as it goes,
    /// rather than walking them again).
    init(_ kind: Kind, at location: SourceLocation, childrenWeight: Int = 0) {
        self.kind = kind
        self.location = location
        weight = 1 + childrenWeight
    }

    var scalar: String? { if case .scalar(let text, _) = kind { return text } else { return nil } }
    var isQuoted: Bool { if case .scalar(_, let quoted) = kind { return quoted } else { return false } }
    var pairs: [(key: YAMLNode, value: YAMLNode)]? { if case .mapping(let pairs) = kind { return pairs } else { return nil } }
    var items: [YAMLNode]? { if case .sequence(let items) = kind { return items } else { return nil } }

    /// A plain empty value, `~` or `null`: what YAML 1.2 reads as null.
    var isNull: Bool {
        guard case .scalar(let text, let quoted) = kind, !quoted else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    var kindName: String {
        switch kind {
        case .scalar: return "a single value"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Parses a file's text; YAML errors become diagnostics at their place.
    static func parse(_ text: String, file: String, diagnostics: inout Diagnostics) -> YAMLNode? {
        var reader = YAMLReader(file: file)
        let root = reader.read(text)
        diagnostics.append(contentsOf: reader.diagnostics)
        return root
    }
}

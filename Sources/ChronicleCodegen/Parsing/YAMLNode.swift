import Synchronization

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
    /// The place, kept small: a file's name is stored once (``FileNames``), not in every node
    /// (a schema has millions of nodes, and each copy of a name would count a reference).
    private let file: Int32
    private let line: Int32
    private let column: Int32
    /// How many nodes this one stands for, itself and everything under it, aliases expanded:
    /// what walking it costs.
    let weight: Int

    /// A node at a 1-based line and column, whose children weigh `childrenWeight` together (the
    /// reader sums them as it goes, rather than walking them again).
    init(_ kind: Kind, file: Int32, line: Int, column: Int, childrenWeight: Int = 0) {
        self.kind = kind
        self.file = file
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
        weight = 1 + childrenWeight
    }

    /// The same value at another place (an alias is placed where it is used).
    init(_ other: YAMLNode, file: Int32, line: Int, column: Int) {
        self.init(other.kind, file: file, line: line, column: column, childrenWeight: other.weight - 1)
    }

    var location: SourceLocation {
        SourceLocation(file: FileNames.shared.name(file), line: Int(line), column: Int(column))
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

/// The names of the files YAML nodes come from, each stored once for the process.
final class FileNames: Sendable {
    static let shared = FileNames()
    private let names = Mutex<(list: [String], ids: [String: Int32])>(([], [:]))

    /// The number standing for `name`.
    func id(_ name: String) -> Int32 {
        names.withLock { state in
            if let id = state.ids[name] { return id }
            let id = Int32(clamping: state.list.count)
            state.list.append(name)
            state.ids[name] = id
            return id
        }
    }

    func name(_ id: Int32) -> String {
        names.withLock { state in state.list.indices.contains(Int(id)) ? state.list[Int(id)] : "" }
    }
}

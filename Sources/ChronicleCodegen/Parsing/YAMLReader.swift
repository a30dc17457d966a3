import CYAML
import Glibc

/// Reads a schema file's YAML into ``YAMLNode``s through libyaml's event API, within bounds.
///
/// The reader composes the tree itself rather than through a YAML library's document model, for
/// three reasons:
/// - **Bounds.** A file over ``maximumFileBytes``, nesting deeper than ``maximumDepth``, or aliases
///   that expand the document by more than ``maximumAliasExpansion`` nodes (a "billion laughs"
///   file) is refused with an error at its place, before it costs time or memory.
/// - **Exact places.** Every node keeps the line and column libyaml reports; a duplicate key is
///   reported where the duplicate is, with a note at the first.
/// - **Text stays text.** Scalars are not resolved YAML 1.1's way (`on` is not a boolean).
struct YAMLReader {
    /// The largest schema file read: 16 MiB, far beyond any hand-written domain.
    static let maximumFileBytes = 16 << 20
    /// The deepest nesting of mappings and lists; a schema needs fewer than ten levels.
    static let maximumDepth = 100
    /// How many nodes aliases may add to a document, all together.
    static let maximumAliasExpansion = 1_000_000

    let file: String
    private let fileID: Int32
    private(set) var diagnostics = Diagnostics()

    init(file: String) {
        self.file = file
        fileID = FileNames.shared.id(file)
    }

    /// A mapping or list being read.
    private struct Frame {
        var isMapping: Bool
        var line: Int
        var column: Int
        var anchor: String?
        /// A list's items.
        var items: [YAMLNode] = []
        /// A mapping's pairs so far, and the key whose value comes next.
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var pendingKey: YAMLNode?
        /// A mapping's keys in order ("" for a key that is not text), searched while the mapping
        /// is small; a large one's keys are also indexed, with where each was first written.
        var keyNames: [String] = []
        var keyIndex: [String: SourceLocation] = [:]
        /// The weight of the children so far.
        var childrenWeight = 0
        /// The next node is the value of a duplicate key, which is left out.
        var dropsNextValue = false
    }

    /// The document's root, or nil after an error that stops reading (syntax, a bound; reported in
    /// ``diagnostics``) or for an empty file. A duplicate key does not stop reading: its pair is
    /// left out and the rest of the schema is still checked, so that every mistake is reported.
    mutating func read(_ text: String) -> YAMLNode? {
        let size = text.utf8.count
        guard size <= Self.maximumFileBytes else {
            diagnostics.error("the schema file is \(size) bytes, more than the \(Self.maximumFileBytes) bytes a schema may have", at: place(line: 0, column: 0))
            return nil
        }
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes = [0x0A] }
        let root = bytes.withUnsafeBufferPointer { buffer in compose(buffer) }
        if root == nil, !diagnostics.hasErrors {
            diagnostics.error("the schema file is empty", at: place(line: 0, column: 0))
        }
        return root
    }

    private mutating func compose(_ input: UnsafeBufferPointer<UInt8>) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            diagnostics.error("cannot start the YAML reader (out of memory)", at: place(line: 0, column: 0))
            return nil
        }
        defer { yaml_parser_delete(&parser) }
        guard let base = input.baseAddress else { return nil }
        yaml_parser_set_input_string(&parser, base, input.count)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var stack: [Frame] = []
        var anchors: [String: YAMLNode] = [:]
        var root: YAMLNode?
        var expanded = 0
        var documents = 0
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                reportParserError(parser, input: input)
                return nil
            }
            defer { yaml_event_delete(&event) }
            // 1-based; a SourceLocation is made only for a diagnostic.
            let line = event.start_mark.line + 1, column = event.start_mark.column + 1
            let location = Place(line: line, column: column)
            var completed: (node: YAMLNode, anchor: String?)?
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return root
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    diagnostics.error("a schema file holds one YAML document; this is a second", at: place(location), hint: "remove the '---' line or move the rest to a schema file of its own")
                    return nil
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let text = Self.string(scalar.value, scalar.length)
                let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE
                completed = (YAMLNode(.scalar(text, quoted: quoted), file: fileID, line: location.line, column: location.column), Self.optionalString(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < Self.maximumDepth else {
                    diagnostics.error("the YAML nests deeper than \(Self.maximumDepth) levels", at: place(location), hint: "a schema needs only a few levels of mappings and lists")
                    return nil
                }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                stack.append(Frame(isMapping: isMapping, line: location.line, column: location.column, anchor: Self.optionalString(anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return nil }
                let kind: YAMLNode.Kind = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
                completed = (YAMLNode(kind, file: fileID, line: frame.line, column: frame.column, childrenWeight: frame.childrenWeight), frame.anchor)
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor, Self.length(event.data.alias.anchor))
                guard let target = anchors[name] else {
                    diagnostics.error("unknown alias '*\(name)'", at: place(location), hint: "an alias refers to an anchor '&\(name)' written before it")
                    return nil
                }
                expanded += target.weight
                guard expanded <= Self.maximumAliasExpansion else {
                    diagnostics.error("alias '*\(name)' expands the document past \(Self.maximumAliasExpansion) nodes", at: place(location), hint: "aliases that refer to aliases multiply; write the repeated parts out or use fewer levels")
                    return nil
                }
                // The alias's place is where it is used, so that errors inside it point somewhere
                // the author can see.
                completed = (YAMLNode(target, file: fileID, line: location.line, column: location.column), nil)
            default:
                break
            }
            guard let (node, anchor) = completed else { continue }
            if let anchor { anchors[anchor] = node }
            if stack.isEmpty {
                root = node
            } else {
                add(node, to: &stack[stack.count - 1])
            }
        }
    }

    /// Adds a finished node to the mapping or list around it; a mapping's duplicate key is
    /// reported and its pair left out.
    private mutating func add(_ node: YAMLNode, to frame: inout Frame) {
        guard frame.isMapping else {
            frame.childrenWeight += node.weight
            frame.items.append(node)
            return
        }
        if let key = frame.pendingKey {
            frame.childrenWeight += key.weight + node.weight
            frame.pairs.append((key, node))
            frame.pendingKey = nil
            return
        }
        if frame.dropsNextValue {
            frame.dropsNextValue = false
            return
        }
        if case .scalar(let key, _) = node.kind {
            if let first = firstPlace(of: key, at: node.location, in: &frame) {
                diagnostics.error("duplicate key '\(key)'", at: node.location, note: "'\(key)' is first written here", at: first)
                frame.dropsNextValue = true
                return
            }
            frame.keyNames.append(key)
        } else {
            frame.keyNames.append("")
        }
        frame.pendingKey = node
    }

    /// Where a mapping already has `key`, or nil; records it otherwise. Small mappings, the
    /// usual ones, are searched rather than hashed.
    private func firstPlace(of key: String, at location: SourceLocation, in frame: inout Frame) -> SourceLocation? {
        let indexFrom = 16
        if frame.keyNames.count < indexFrom {
            guard let index = frame.keyNames.firstIndex(of: key) else { return nil }
            return frame.pairs[index].key.location
        }
        if frame.keyIndex.isEmpty {
            for pair in frame.pairs { if let text = pair.key.scalar, frame.keyIndex[text] == nil { frame.keyIndex[text] = pair.key.location } }
        }
        if let first = frame.keyIndex[key] { return first }
        frame.keyIndex[key] = location
        return nil
    }

    private mutating func reportParserError(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) {
        let problem = Self.optionalString(parser.problem) ?? "unknown problem"
        switch parser.error {
        case YAML_READER_ERROR:
            let (line, column) = Self.lineAndColumn(ofOffset: parser.problem_offset, in: input)
            diagnostics.error("the schema file is not YAML text: \(problem)", at: place(line: line, column: column))
        case YAML_MEMORY_ERROR:
            diagnostics.error("the YAML reader ran out of memory", at: place(line: 0, column: 0))
        default:
            let context = Self.optionalString(parser.context).map { " (\($0))" } ?? ""
            diagnostics.error("YAML syntax error: \(problem)\(context)", at: place(line: parser.problem_mark.line, column: parser.problem_mark.column))
        }
    }

    private struct Place {
        var line: Int
        var column: Int
    }

    private func place(_ place: Place) -> SourceLocation {
        SourceLocation(file: file, line: place.line, column: place.column)
    }

    private func place(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    /// 0-based line and column (in characters) of a byte offset.
    private static func lineAndColumn(ofOffset offset: Int, in input: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 0, column = 0
        for byte in input.prefix(min(max(offset, 0), input.count)) {
            if byte == 0x0A {
                line += 1
                column = 0
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private static func length(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> Int {
        guard let pointer else { return 0 }
        return strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    private static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return string(pointer, length(pointer))
    }

    private static func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

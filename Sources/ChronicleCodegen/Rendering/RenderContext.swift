/// Turns the checked ``Module`` into the values the templates render: names, types, and the
/// lines of code inside switch cases, computed here so that templates stay free of logic.
struct RenderContext {
    let module: Module
    let fingerprints: Fingerprint

    init(module: Module) {
        self.module = module
        fingerprints = Fingerprint(module: module)
    }

    // MARK: Shared pieces

    static func docLines(_ doc: String?) -> [String] {
        guard let doc, !doc.isEmpty else { return [] }
        return doc.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    static func field(_ field: Field) -> FieldModel {
        FieldModel(name: SwiftName.identifier(field.name), type: field.type.swift, doc: docLines(field.doc), defaultValue: field.defaultValue ?? "")
    }

    static func parameters(_ fields: [Field], defaults: Bool = false) -> String {
        fields.map { field in
            "\(SwiftName.identifier(field.name)): \(field.type.swift)" + (defaults ? field.defaultValue.map { " = \($0)" } ?? "" : "")
        }.joined(separator: ", ")
    }

    /// The Swift expression of a value; `event` is how the event is spelled in the code.
    func expression(_ value: Value, event: String) -> String {
        switch value {
        case .eventField(let name): return "\(event).\(SwiftName.identifier(name))"
        case .literal(let text): return text
        case .envelope(let name):
            if name == "id" { return "id" }
            return SchemaChecker.envelopeValues[name]?.1 ?? "context.\(name)"
        case .object(let type, let fields):
            return "\(type)(" + fields.map { "\(SwiftName.label($0.field)): \(expression($0.value, event: event))" }.joined(separator: ", ") + ")"
        }
    }

    /// `let event` when the lines use the event, `_` otherwise (no unused-value warnings).
    static func binding(_ lines: [String]) -> String {
        lines.contains(where: usesEvent) ? "let event" : "_"
    }

    /// Whether a line refers to the value `event` (not to a label or member that is spelled so,
    /// as in `Line(event: context.eventID)`).
    static func usesEvent(_ line: String) -> Bool {
        let characters = Array(line.utf8)
        let word = Array("event".utf8)
        func isIdentifier(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
        }
        var index = 0
        while index + word.count <= characters.count {
            defer { index += 1 }
            guard characters[index..<index + word.count].elementsEqual(word) else { continue }
            if index > 0, isIdentifier(characters[index - 1]) || characters[index - 1] == UInt8(ascii: ".") { continue }
            let next = index + word.count
            if next < characters.count, isIdentifier(characters[next]) || characters[next] == UInt8(ascii: ":") { continue }
            return true
        }
        return false
    }

    /// The lines of a hand-written JSON encoder and decoder for members (name, Swift type,
    /// optional?), the decoder ending with `construct` (which may use the members by name) and
    /// then `after` lines.
    static func jsonCoding(_ members: [(name: String, type: String, optional: Bool)], construct: String, after: [String] = []) -> (encode: [String], decode: [String]) {
        // Members are read through `self.` and into `decoded…` locals, so that a member named
        // like the coder (`reader`, `writer`, `key`) cannot shadow it.
        var encode = ["writer.beginObject()"]
        for member in members {
            let name = SwiftName.identifier(member.name)
            if member.optional {
                encode.append("if let value = self.\(name) {")
                encode.append("    writer.key(\"\(member.name)\")")
                encode.append("    try writer.encode(value)")
                encode.append("}")
            } else {
                encode.append("writer.key(\"\(member.name)\")")
                encode.append("try writer.encode(self.\(name))")
            }
        }
        encode.append("writer.endObject()")
        var decode = members.map { "var \(decodedName($0.name)): \($0.optional ? $0.type : $0.type + "?") = nil" }
        if members.isEmpty {
            decode.append("try reader.readObject { _, reader in try reader.skipValue() }")
        } else {
            decode.append("try reader.readObject { key, reader in")
            decode.append("    switch key {")
            for member in members {
                decode.append("    case \"\(member.name)\": \(decodedName(member.name)) = try reader.decode(\(member.type).self)")
            }
            decode.append("    default: try reader.skipValue()")
            decode.append("    }")
            decode.append("}")
        }
        for member in members where !member.optional {
            decode.append("guard let \(decodedName(member.name)) else { throw reader.missing(\"\(member.name)\") }")
        }
        decode.append(construct)
        decode += after
        return (encode, decode)
    }

    /// The local a decoder reads a member into.
    static func decodedName(_ member: String) -> String { "decoded" + SwiftName.upperFirst(member) }

    /// `a: decodedA, b: decodedB`: the arguments that construct a value from decoded members.
    static func decodedArguments(_ names: [String]) -> String {
        names.map { "\(SwiftName.label($0)): \(decodedName($0))" }.joined(separator: ", ")
    }

    static func members(_ fields: [Field]) -> [(name: String, type: String, optional: Bool)] {
        fields.map { field in
            if case .optional = field.type.resolved { return (field.name, field.type.swift, true) }
            return (field.name, field.type.swift, false)
        }
    }

    static func caseName(_ event: String) -> String { SwiftName.identifier(SwiftName.lowerFirst(event)) }

    // MARK: Types

    func type(_ declaration: TypeDeclaration) -> TypeModel {
        let doc = Self.docLines(declaration.doc)
        switch declaration.kind {
        case .alias(let underlying):
            return TypeModel(name: declaration.name, doc: doc, isAlias: true, underlying: underlying.swift, isEnum: false, cases: [], isStruct: false,
                             fields: [], initParameters: "", jsonEncode: [], jsonDecode: [])
        case .enumeration(let cases):
            return TypeModel(name: declaration.name, doc: doc, isAlias: false, underlying: "", isEnum: true, cases: cases.map(SwiftName.identifier), isStruct: false,
                             fields: [], initParameters: "", jsonEncode: [], jsonDecode: [])
        case .structure(let fields):
            let coding = Self.jsonCoding(Self.members(fields), construct: "self.init(\(Self.decodedArguments(fields.map(\.name))))")
            return TypeModel(name: declaration.name, doc: doc, isAlias: false, underlying: "", isEnum: false, cases: [], isStruct: true,
                             fields: fields.map(Self.field), initParameters: Self.parameters(fields, defaults: true), jsonEncode: coding.encode, jsonDecode: coding.decode)
        }
    }
}

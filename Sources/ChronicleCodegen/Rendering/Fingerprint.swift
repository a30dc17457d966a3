/// Fingerprints of definitions: a 64-bit FNV-1a hash of a canonical description, in hex. They
/// change when a definition's meaning changes, not when its comments do.
///
/// A fingerprint sees everything a definition's stored form depends on: the types of its fields
/// are described transitively (an alias by what it stands for, an enum by its cases, a struct by
/// its fields), so changing a struct used three levels down changes the fingerprint of every
/// state and view that holds it. Swift code (`apply: swift`) cannot be seen; an aggregate's
/// `revision:` stands for it.
struct Fingerprint {
    let types: [String: TypeDeclaration]

    init(module: Module) {
        types = Dictionary(module.types.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// A type's full shape; a struct met again inside itself (through a list) is named only.
    func describe(_ type: FieldType, seen: Set<String> = []) -> String {
        switch type {
        case .alias(let name, let underlying): return "\(name)=\(describe(underlying, seen: seen))"
        case .enumeration(let name, let cases): return "\(name){\(cases.joined(separator: "|"))}"
        case .structure(let name):
            guard !seen.contains(name), case .structure(let fields)? = types[name]?.kind else { return name }
            return "\(name){\(describe(fields, seen: seen.union([name])))}"
        case .list(let element): return "[\(describe(element, seen: seen))]"
        case .optional(let wrapped): return "\(describe(wrapped, seen: seen))?"
        default: return type.swift
        }
    }

    func describe(_ fields: [Field], seen: Set<String> = []) -> String {
        fields.map { "\($0.name):\(describe($0.type, seen: seen))=\($0.defaultValue ?? "")" }.joined(separator: ",")
    }

    func describe(_ operations: [Operation]?) -> String {
        guard let operations else { return "swift" }
        return operations.map { "\($0.kind.rawValue) \($0.target.name) \($0.value.key)" }.joined(separator: ";")
    }

    func of(_ aggregate: Aggregate) -> String {
        var text = "aggregate \(aggregate.name) id \(aggregate.idType.swift) state \(describe(aggregate.state))"
        if aggregate.revision != 1 { text += " revision \(aggregate.revision)" }
        for event in aggregate.events {
            text += " event \(event.name) v\(event.version) fields \(describe(event.fields)) apply \(describe(event.operations)) inverse \(event.inverse)"
        }
        return Self.hash(text)
    }

    func of(_ view: View) -> String {
        var text = "view \(view.name) key \(view.key ?? "-") fields \(describe(view.fields)) index \(view.index.map(\.name))"
        for handler in view.handlers {
            text += " on \(handler.aggregate).\(handler.event) \(describe(handler.operations)) creating \(handler.eventIsCreating)"
        }
        return Self.hash(text)
    }

    func of(_ module: Module) -> String {
        Self.hash(module.aggregates.map(of).joined() + module.views.map(of).joined() + module.types.map { "\($0.name) \($0.kind)" }.joined())
    }
}

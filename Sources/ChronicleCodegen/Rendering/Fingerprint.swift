/// Fingerprints of definitions: a 64-bit FNV-1a hash of a canonical description, in hex. They
/// change when a definition's meaning changes, not when its comments do.
enum Fingerprint {
    static func hash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func describe(_ fields: [Field]) -> String {
        fields.map { "\($0.name):\($0.type.swift)=\($0.defaultValue ?? "")" }.joined(separator: ",")
    }

    static func describe(_ operations: [Operation]?) -> String {
        guard let operations else { return "swift" }
        return operations.map { "\($0.kind.rawValue) \($0.target.name) \($0.value.key)" }.joined(separator: ";")
    }

    static func of(_ aggregate: Aggregate) -> String {
        var text = "aggregate \(aggregate.name) id \(aggregate.idType.swift) state \(describe(aggregate.state))"
        for event in aggregate.events {
            text += " event \(event.name) v\(event.version) fields \(describe(event.fields)) apply \(describe(event.operations)) inverse \(event.inverse)"
        }
        return hash(text)
    }

    static func of(_ view: View) -> String {
        var text = "view \(view.name) key \(view.key ?? "-") fields \(describe(view.fields)) index \(view.index.map(\.name))"
        for handler in view.handlers {
            text += " on \(handler.aggregate).\(handler.event) \(describe(handler.operations)) creating \(handler.eventIsCreating)"
        }
        return hash(text)
    }

    static func of(_ module: Module) -> String {
        hash(module.aggregates.map(of).joined() + module.views.map(of).joined() + module.types.map { "\($0.name) \($0.kind)" }.joined())
    }
}

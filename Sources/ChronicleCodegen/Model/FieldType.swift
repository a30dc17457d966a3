/// A checked field type.
indirect enum FieldType: Hashable, Sendable, CustomStringConvertible {
    case string, int, int64, double, bool, uuid, date
    /// A shared alias, with what it stands for.
    case alias(String, FieldType)
    case enumeration(String, cases: [String])
    case structure(String)
    /// The id of an aggregate, `Account.ID`.
    case aggregateID(String)
    case list(FieldType)
    case optional(FieldType)

    static let builtins: [String: FieldType] = [
        "String": .string, "Int": .int, "Int64": .int64, "Double": .double, "Bool": .bool, "UUID": .uuid, "Date": .date,
    ]

    /// The Swift spelling.
    var swift: String {
        switch self {
        case .string: return "String"
        case .int: return "Int"
        case .int64: return "Int64"
        case .double: return "Double"
        case .bool: return "Bool"
        case .uuid: return "UUID"
        case .date: return "Date"
        case .alias(let name, _), .enumeration(let name, _), .structure(let name): return name
        case .aggregateID(let aggregate): return "\(aggregate).ID"
        case .list(let element): return "[\(element.swift)]"
        case .optional(let wrapped): return "\(wrapped.swift)?"
        }
    }

    var description: String { swift }

    /// The type with aliases resolved.
    var resolved: FieldType {
        switch self {
        case .alias(_, let underlying): return underlying.resolved
        case .list(let element): return .list(element.resolved)
        case .optional(let wrapped): return .optional(wrapped.resolved)
        default: return self
        }
    }

    var isNumeric: Bool { [.int, .int64, .double].contains(resolved) }

    /// Whether values can be keys of an index.
    var isIndexable: Bool {
        switch resolved {
        case .string, .int, .int64, .bool, .uuid, .enumeration, .aggregateID: return true
        default: return false
        }
    }

    var listElement: FieldType? {
        if case .list(let element) = self { return element }
        if case .alias(_, let underlying) = self { return underlying.listElement }
        return nil
    }

    /// The Swift literal of the type's default value, when it has an obvious one.
    var implicitDefault: String? {
        switch resolved {
        case .string: return "\"\""
        case .int, .int64, .double: return "0"
        case .bool: return "false"
        case .list: return "[]"
        case .optional: return "nil"
        case .enumeration(_, let cases): return cases.first.map { ".\(SwiftName.identifier($0))" }
        default: return nil
        }
    }
}

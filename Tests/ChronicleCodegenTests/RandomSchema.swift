import TestSupport

/// Random *valid* schemas: every type kind, operation, view form and id kind, with names that
/// are Swift keywords or not ASCII. Each comes with the Swift its `apply: swift` events need, so
/// that the module it is generated into type-checks as a user's would.
struct RandomSchema {
    var yaml = ""
    var swift = ""

    /// Field names: ordinary, Swift keywords, names of locals in generated code, not ASCII.
    static let fieldNames = [
        "amount", "count", "label", "note", "default", "in", "for", "where", "class", "return", "static", "event", "state",
        "rules", "row", "reader", "writer", "key", "value", "größe", "naïve", "x1", "when", "switch", "open", "case",
    ]
    /// Enum cases, likewise.
    static let caseNames = ["small", "large", "default", "case", "in", "is", "as", "true", "false", "nil", "grün", "rawValue", "allCases", "some", "none"]
    static let typeStems = ["Amount", "Kind", "Größe", "Café", "Label", "Ticket", "Part", "Entry", "Mode", "Ärger"]
    static let idKinds = ["UUID", "String", "Int"]

    indirect enum Shape: Equatable {
        case int, int64, double, string, bool, date, uuid
        case alias(String, underlying: Shape)
        case enumeration(String, cases: [String])
        case structure(String)

        var isNumeric: Bool {
            switch self {
            case .int, .int64, .double: return true
            case .alias(_, let underlying): return underlying.isNumeric
            default: return false
            }
        }

        var spelling: String {
            switch self {
            case .int: return "Int"
            case .int64: return "Int64"
            case .double: return "Double"
            case .string: return "String"
            case .bool: return "Bool"
            case .date: return "Date"
            case .uuid: return "UUID"
            case .alias(let name, _), .enumeration(let name, _), .structure(let name): return name
            }
        }
    }

    struct Field {
        var name: String
        var type: String
        var shape: Shape?
        var yamlDefault: String?
    }

    private var random: SeededRandom
    private let prefix: String
    private var shapes: [Shape] = [.int, .int64, .double, .string, .bool]
    private var structs: [String] = []

    /// A schema whose declared names all start with `prefix` (so that several can share a module).
    init(seed: UInt64, prefix: String) {
        random = SeededRandom(seed: seed)
        self.prefix = prefix
        build()
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[random.next(upperBound: items.count)] }
    private mutating func chance(_ percent: Int) -> Bool { random.next(upperBound: 100) < percent }

    private mutating func distinctNames(_ pool: [String], count: Int) -> [String] {
        var names: [String] = []
        var remaining = pool
        while names.count < count, !remaining.isEmpty {
            names.append(remaining.remove(at: random.next(upperBound: remaining.count)))
        }
        return names
    }

    private mutating func build() {
        yaml = "chronicle: 1\ndoc: A random schema.\ntypes:\n"
        for index in 0..<(2 + random.next(upperBound: 4)) {
            let name = prefix + pick(Self.typeStems) + "\(index)"
            switch random.next(upperBound: 3) {
            case 0:
                let underlying = pick([Shape.int, .int64, .double, .string] + shapes.filter { if case .alias = $0 { return $0.isNumeric } else { return false } })
                yaml += "  \(name): { alias: \(underlying.spelling), doc: An alias. }\n"
                shapes.append(.alias(name, underlying: underlying))
            case 1:
                let cases = distinctNames(Self.caseNames, count: 1 + random.next(upperBound: 4))
                yaml += "  \(name): { enum: [\(cases.joined(separator: ", "))] }\n"
                shapes.append(.enumeration(name, cases: cases))
            default:
                let fields = distinctNames(Self.fieldNames, count: 1 + random.next(upperBound: 3)).map { fieldName -> String in
                    let shape = pick(shapes + [.date, .uuid])
                    var type = shape.spelling
                    if chance(20) { type += "?" }
                    if chance(15) { type = "\"[\(shape.spelling)]\"" }
                    return "\(fieldName): \(type)"
                }
                // Sometimes a struct holds a list of itself.
                let recursive = chance(20) ? ", children: \"[\(name)]\"" : ""
                yaml += "  \(name): { struct: { \(fields.joined(separator: ", "))\(recursive) } }\n"
                shapes.append(.structure(name))
                structs.append(name)
            }
        }
        var aggregates: [(name: String, events: [(name: String, fields: [Field], creating: Bool)])] = []
        yaml += "aggregates:\n"
        for index in 0..<(1 + random.next(upperBound: 3)) {
            let name = prefix + ["Room", "Übung", "Order", "Case"][index % 4] + "\(index)"
            aggregates.append((name, buildAggregate(name)))
        }
        if aggregates.count >= 2, chance(60) {
            let from = aggregates[0], to = aggregates[1]
            if let first = from.events.first(where: { !$0.creating }), let second = to.events.first(where: { !$0.creating }) {
                yaml += """
                    commands:
                      \(prefix)Move:
                        doc: Spans two aggregates.
                        targets: { from: \(from.name), to: \(to.name) }
                        fields: { reason: String }
                        emits: { from: [\(first.name)], to: [\(second.name)] }
                        errors: [default, refused]
                        decide: swift

                    """
            }
        }
        yaml += "views:\n"
        for (index, aggregate) in aggregates.enumerated() {
            buildView(prefix + "View\(index)", aggregate: aggregate.name, events: aggregate.events, keyed: chance(70))
        }
    }

    /// State, events and commands of one aggregate; returns its events.
    private mutating func buildAggregate(_ name: String) -> [(name: String, fields: [Field], creating: Bool)] {
        yaml += "  \(name):\n    doc: An aggregate.\n    id: \(pick(Self.idKinds))\n"
        if chance(30) { yaml += "    revision: \(1 + random.next(upperBound: 3))\n" }
        var state: [Field] = []
        for fieldName in distinctNames(Self.fieldNames, count: 2 + random.next(upperBound: 4)) {
            let shape = pick(shapes)
            switch shape {
            case .structure(let type):
                if chance(50) {
                    state.append(Field(name: fieldName, type: "\"[\(type)]\"", shape: nil, yamlDefault: "[]"))
                } else {
                    state.append(Field(name: fieldName, type: "\(type)?", shape: nil, yamlDefault: "null"))
                }
            case .enumeration(_, let cases):
                state.append(Field(name: fieldName, type: shape.spelling, shape: shape, yamlDefault: cases[0]))
            case .bool:
                state.append(Field(name: fieldName, type: "Bool", shape: shape, yamlDefault: "false"))
            default:
                state.append(Field(name: fieldName, type: shape.spelling, shape: shape, yamlDefault: shape.isNumeric ? "0" : "\"\""))
            }
        }
        yaml += "    state:\n"
        for field in state { yaml += "      \(field.name): { type: \(field.type), default: \(field.yamlDefault ?? "null") }\n" }
        yaml += "    events:\n"
        var events: [(name: String, fields: [Field], creating: Bool)] = []
        var commands: [String] = []
        for (index, field) in state.enumerated() {
            let eventName = ["Changed", "Grown", "Shrunk", "Set", "Listed", "Moved"][index % 6] + "\(index)"
            var fields: [Field] = []
            var apply = ""
            var extra = ""
            if field.shape?.isNumeric == true {
                let kind = pick(["add", "subtract", "set"])
                fields = [Field(name: "by", type: field.type, shape: field.shape)]
                apply = "{ \(kind): { \(field.name): by } }"
            } else if field.type.hasPrefix("\"[") {
                let element = String(field.type.dropFirst(2).dropLast(2))
                fields = [Field(name: "item", type: element, shape: .structure(element))]
                apply = "{ \(pick(["append", "remove"])): { \(field.name): item } }"
            } else if case .enumeration(_, let cases)? = field.shape, chance(50) {
                apply = "{ set: { \(field.name): \(pick(cases)) } }"
            } else {
                fields = [Field(name: "to", type: field.type, shape: field.shape)]
                apply = "{ set: { \(field.name): to } }"
            }
            if chance(15) {
                apply = "swift"
                swift += """
                    extension \(name).State {
                        public static func apply(_ event: \(name).\(eventName), to state: inout \(name).State) {}
                        public static func revert(_ event: \(name).\(eventName), to state: inout \(name).State) {}
                    }

                    """
            }
            if chance(10) { extra = ", irreversible: it cannot be undone" }
            let fieldList = fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ")
            yaml += "      \(eventName): { doc: An event., fields: { \(fieldList) }, apply: \(apply)\(extra) }\n"
            let creating = index == 0 && chance(50)
            events.append((eventName, fields, creating))
            let commandName = ["Change", "Grow", "Shrink", "Put", "List", "Shift"][index % 6] + "\(index)"
            if chance(25) {
                commands.append("      \(commandName): { fields: { \(fieldList) }, emits: [\(eventName)], errors: [in, refused], decide: swift }")
            } else {
                commands.append("      \(commandName): { fields: { \(fieldList) }, emits: [\(eventName)]\(creating ? ", creates: true" : "") }")
            }
        }
        yaml += "    commands:\n" + commands.joined(separator: "\n") + "\n"
        return events
    }

    /// A view on one aggregate's events: numbers added and subtracted, counters, envelope values.
    private mutating func buildView(_ name: String, aggregate: String, events: [(name: String, fields: [Field], creating: Bool)], keyed: Bool) {
        var fields = ["seen: { type: Int, default: 0 }", "last: { type: Int64, default: 0 }"]
        var handlers: [String] = []
        var numeric: [String: String] = [:]
        for event in events {
            var adds = ["seen: 1"]
            if let by = event.fields.first(where: { $0.shape?.isNumeric == true }) {
                let viewField = numeric[by.type] ?? "total\(numeric.count)"
                if numeric[by.type] == nil {
                    numeric[by.type] = viewField
                    fields.append("\(viewField): { type: \(by.type), default: 0 }")
                }
                adds.append("\(viewField): by")
            }
            var handler = "{ add: { \(adds.joined(separator: ", ")) } }"
            // Some handlers use only envelope values.
            if chance(40) { handler = "{ add: { last: $position } }" }
            handlers.append("      \(aggregate).\(event.name): \(handler)")
        }
        yaml += "  \(name):\n    doc: A view.\n"
        if keyed { yaml += "    key: \(aggregate)\n" }
        yaml += "    fields: { \(fields.joined(separator: ", ")) }\n    on:\n" + handlers.joined(separator: "\n") + "\n"
    }
}

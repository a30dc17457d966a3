import Foundation

/// Checks parsed schemas and builds the ``Module`` the renderer turns into Swift. Every problem
/// is reported, with a hint where one helps; a schema that passes produces Swift that compiles.
struct SchemaChecker {
    private(set) var diagnostics = Diagnostics()
    private var typeSyntax: [String: TypeSyntax] = [:]
    private var aggregateSyntax: [String: AggregateSyntax] = [:]
    private var resolvedAliases: [String: FieldType] = [:]
    private var resolving: Set<String> = []
    /// Fields whose type did not resolve: already reported, so their uses are not reported again.
    private var unresolvedFields: Set<String> = []
    private var module: Module

    /// Names of envelope values a view may use, with their types.
    static let envelopeValues: [String: (FieldType, String)] = [
        "recordedAt": (.date, "context.recordedAt"),
        "position": (.int64, "context.position"),
        "streamVersion": (.int64, "context.streamVersion"),
        "eventID": (.uuid, "context.eventID"),
        "actor": (.optional(.string), "context.actor"),
    ]

    /// Names the generated code refers to (Swift, Foundation and the runtime): a schema type of
    /// the same name would hide them.
    static let namesGeneratedCodeUses = [
        "Int32", "Set", "Array", "Dictionary", "Optional", "Error", "Never", "Sendable", "Codable", "Hashable", "Equatable",
        "Identifiable", "CaseIterable", "Comparable", "Duration", "Decoder", "Encoder", "Chronicle", "Foundation",
        "EventStore", "RecordedEvent", "StreamID", "DomainEvent", "AggregateEvent", "AggregateState", "AggregateID",
        "AggregateCommand", "ModuleEvent", "Projection", "EventContext", "ViewEffect", "JSONCodable", "JSONWriter", "JSONReader",
        "ChronicleJSON", "SchemaDecodingError", "CommandProcessor", "CommandProcessorOptions", "CommandContext", "CommandOutcome",
        "CommandTransaction", "SnapshotStore", "AuditLog", "ViewStore", "ViewStoreOptions", "ViewHost", "ViewPreviewing",
        "ProjectionMode", "TimeMachine", "RevertOutcome", "AsOfPath", "AggregateStateSet",
    ]

    init(moduleName: String, files: [String]) {
        module = Module(name: moduleName, files: files)
    }

    mutating func check(_ schemas: [SchemaSyntax]) -> Module {
        declareNames(schemas)
        for schema in schemas {
            for type in schema.types { module.types.append(checkType(type, file: schema.file)) }
        }
        for schema in schemas {
            for aggregate in schema.aggregates { module.aggregates.append(checkAggregate(aggregate, file: schema.file)) }
        }
        markCreatingEvents()
        for schema in schemas {
            for command in schema.commands { if let checked = checkModuleCommand(command, file: schema.file) { module.commands.append(checked) } }
            for view in schema.views { module.views.append(checkView(view, file: schema.file)) }
        }
        return module
    }

    // MARK: Names

    private mutating func declareNames(_ schemas: [SchemaSyntax]) {
        var seen: [String: SourceLocation] = [:]
        let generated = ["Event", "Rules", "Schema", "Commands", "Queries", "Views", "App"].map { module.name + $0 } + SchemaChecker.namesGeneratedCodeUses
        func declare(_ name: Located<String>, _ what: String) -> Bool {
            guard SwiftName.isTypeName(name.value) else {
                diagnostics.error("\(what) name '\(name.value)' must start with a capital letter and hold only letters and digits", at: name.location)
                return false
            }
            if let first = seen[name.value] {
                diagnostics.error("duplicate name '\(name.value)'", at: name.location, hint: "it is already declared at \(first)")
                return false
            }
            if generated.contains(name.value) || FieldType.builtins[name.value] != nil {
                diagnostics.error("the name '\(name.value)' is taken by \(FieldType.builtins[name.value] != nil ? "a built-in type" : "generated code")", at: name.location)
                return false
            }
            seen[name.value] = name.location
            return true
        }
        for schema in schemas {
            for type in schema.types where declare(type.name, "type") { typeSyntax[type.name.value] = type }
            for aggregate in schema.aggregates where declare(aggregate.name, "aggregate") { aggregateSyntax[aggregate.name.value] = aggregate }
            for command in schema.commands { _ = declare(command.name, "command") }
            for view in schema.views { _ = declare(view.name, "view") }
        }
    }

    // MARK: Types

    private mutating func resolve(_ expression: Located<TypeExpression>) -> FieldType? {
        let name = expression.value.name
        var base: FieldType?
        if let builtin = FieldType.builtins[name] {
            base = builtin
        } else if name.hasSuffix(".ID"), aggregateSyntax[String(name.dropLast(3))] != nil {
            base = .aggregateID(String(name.dropLast(3)))
        } else if let declared = typeSyntax[name] {
            switch declared.kind {
            case .alias: base = resolveAlias(declared)
            case .enumeration(let cases): base = .enumeration(name, cases: cases.map(\.value))
            case .structure: base = .structure(name)
            }
            if base == nil { return nil }
        } else {
            let known = Array(FieldType.builtins.keys) + Array(typeSyntax.keys) + aggregateSyntax.keys.map { "\($0).ID" }
            diagnostics.error("unknown type '\(name)'", at: expression.location,
                              hint: Suggestion.hint(for: name, among: known) ?? "declare it under 'types', or use String, Int, Int64, Double, Bool, UUID, Date")
            return nil
        }
        guard var type = base else { return nil }
        if expression.value.isList { type = .list(type) }
        if expression.value.isOptional { type = .optional(type) }
        return type
    }

    private mutating func resolveAlias(_ declared: TypeSyntax) -> FieldType? {
        let name = declared.name.value
        if let done = resolvedAliases[name] { return done }
        guard case .alias(let target) = declared.kind else { return nil }
        guard resolving.insert(name).inserted else {
            diagnostics.error("type alias '\(name)' refers to itself", at: declared.name.location)
            return nil
        }
        defer { resolving.remove(name) }
        guard let underlying = resolve(target) else { return nil }
        let type = FieldType.alias(name, underlying)
        resolvedAliases[name] = type
        return type
    }

    private mutating func checkType(_ syntax: TypeSyntax, file: String) -> TypeDeclaration {
        let kind: TypeDeclaration.Kind
        switch syntax.kind {
        case .alias:
            kind = .alias(resolveAlias(syntax)?.aliasUnderlying ?? .string)
        case .enumeration(let cases):
            var seen = Set<String>()
            for item in cases {
                if !SwiftName.isValidIdentifier(item.value) {
                    diagnostics.error("enum case '\(item.value)' must be a name of letters and digits", at: item.location)
                } else if !seen.insert(item.value).inserted {
                    diagnostics.error("duplicate enum case '\(item.value)'", at: item.location)
                }
            }
            if cases.isEmpty { diagnostics.error("enum '\(syntax.name.value)' needs at least one case", at: syntax.name.location) }
            kind = .enumeration(cases.map(\.value))
        case .structure(let fields):
            kind = .structure(checkFields(fields, of: "struct '\(syntax.name.value)'", defaults: .allowed))
        }
        return TypeDeclaration(name: syntax.name.value, doc: syntax.doc, kind: kind, file: file)
    }

    private enum DefaultRule { case allowed, forbidden, required }

    private mutating func checkFields(_ fields: [FieldSyntax], of owner: String, defaults: DefaultRule) -> [Field] {
        var seen: [String: SourceLocation] = [:]
        var result: [Field] = []
        for syntax in fields {
            let name = syntax.name.value
            guard SwiftName.isValidIdentifier(name), name.first?.isLowercase == true || name.first == "_" else {
                diagnostics.error("field name '\(name)' must start with a lowercase letter and hold only letters and digits", at: syntax.name.location)
                continue
            }
            if let first = seen[name] {
                diagnostics.error("duplicate field '\(name)' in \(owner)", at: syntax.name.location, hint: "it is already declared at \(first)")
                continue
            }
            seen[name] = syntax.name.location
            guard let type = resolve(syntax.type) else {
                unresolvedFields.insert(name)
                continue
            }
            var field = Field(name: name, type: type, doc: syntax.doc)
            if let node = syntax.defaultValue {
                if defaults == .forbidden {
                    diagnostics.error("fields of \(owner) take no default", at: node.location)
                } else {
                    field.defaultValue = literal(node, of: type, context: "default of '\(name)'")
                }
            } else if defaults != .forbidden {
                field.defaultValue = type.implicitDefault
                if field.defaultValue == nil, defaults == .required {
                    diagnostics.error("field '\(name)' of type \(type.swift) needs a default", at: syntax.name.location, hint: "add 'default:', or make it optional: '\(type.swift)?'")
                }
            }
            result.append(field)
        }
        return result
    }

    /// The Swift literal for a YAML value of a type, or `nil` (with a diagnostic) when it is not one.
    private mutating func literal(_ node: YAMLNode, of type: FieldType, context: String) -> String? {
        if case .optional(let wrapped) = type.resolved {
            if node.scalar == "null" || node.scalar == "~" { return "nil" }
            return literal(node, of: wrapped, context: context)
        }
        if let items = node.items {
            if items.isEmpty, type.listElement != nil { return "[]" }
            diagnostics.error("\(context): only an empty list [] can be written here", at: node.location)
            return nil
        }
        guard let text = node.scalar else {
            diagnostics.error("\(context): expected a value of type \(type.swift)", at: node.location)
            return nil
        }
        switch type.resolved {
        case .int, .int64:
            if !node.isQuoted, Int64(text) != nil { return text }
        case .double:
            if !node.isQuoted, Double(text) != nil { return text }
        case .bool:
            if !node.isQuoted, text == "true" || text == "false" { return text }
        case .string:
            if node.isQuoted { return SwiftLiteral.string(text) }
            diagnostics.error("\(context): a text value must be quoted, e.g. \"\(text)\"", at: node.location)
            return nil
        case .enumeration(let name, let cases):
            if cases.contains(text) { return ".\(SwiftName.identifier(text))" }
            diagnostics.error("\(context): '\(text)' is not a case of \(name)", at: node.location, hint: Suggestion.hint(for: text, among: cases) ?? "cases: \(cases.joined(separator: ", "))")
            return nil
        default:
            break
        }
        diagnostics.error("\(context): '\(text)' is not a value of type \(type.swift)", at: node.location)
        return nil
    }

    // MARK: Aggregates

    private mutating func checkAggregate(_ syntax: AggregateSyntax, file: String) -> Aggregate {
        let name = syntax.name.value
        var idType = FieldType.uuid
        if let id = syntax.id {
            switch id.value {
            case "UUID": idType = .uuid
            case "String": idType = .string
            case "Int": idType = .int
            default: diagnostics.error("aggregate id type must be UUID, String or Int, not '\(id.value)'", at: id.location)
            }
        }
        let state = checkFields(syntax.state, of: "the state of \(name)", defaults: .required)
        var events: [Event] = []
        var eventNames: [String: SourceLocation] = [:]
        for event in syntax.events {
            if let first = eventNames[event.name.value] {
                diagnostics.error("duplicate event '\(event.name.value)' in \(name)", at: event.name.location, hint: "it is already declared at \(first)")
                continue
            }
            guard checkMemberName(event.name, kind: "event", in: name) else { continue }
            eventNames[event.name.value] = event.name.location
            events.append(checkEvent(event, aggregate: name, state: state))
        }
        if syntax.events.isEmpty { diagnostics.warning("aggregate '\(name)' declares no events", at: syntax.name.location) }
        var aggregate = Aggregate(name: name, doc: syntax.doc, idType: idType, state: state, events: events, commands: [], file: file)
        checkInverses(syntax, &aggregate)
        var commandNames: [String: SourceLocation] = [:]
        for command in syntax.commands {
            if let first = commandNames[command.name.value] ?? (eventNames[command.name.value]) {
                diagnostics.error("duplicate name '\(command.name.value)' in \(name)", at: command.name.location, hint: "it is already declared at \(first)")
                continue
            }
            commandNames[command.name.value] = command.name.location
            guard checkMemberName(command.name, kind: "command", in: name) else { continue }
            if let checked = checkCommand(command, aggregate: aggregate) { aggregate.commands.append(checked) }
        }
        return aggregate
    }

    /// Events and commands are nested in their aggregate's namespace: they must not take the
    /// names of its generated members, nor hide a module-level name inside it.
    private mutating func checkMemberName(_ name: Located<String>, kind: String, in aggregate: String) -> Bool {
        guard SwiftName.isTypeName(name.value) else {
            diagnostics.error("\(kind) name '\(name.value)' must start with a capital letter and hold only letters and digits", at: name.location)
            return false
        }
        if ["Event", "State", "ID"].contains(name.value) || name.value.hasSuffix("Error") {
            diagnostics.error("\(kind) name '\(name.value)' is taken by generated code in \(aggregate)", at: name.location, hint: "Event, State, ID and names ending in Error are reserved")
            return false
        }
        if typeSyntax[name.value] != nil || aggregateSyntax[name.value] != nil {
            diagnostics.error("\(kind) '\(name.value)' of \(aggregate) has the name of a module-level declaration, which it would hide inside \(aggregate)", at: name.location, hint: "rename one of them")
            return false
        }
        return true
    }

    private mutating func checkEvent(_ syntax: EventSyntax, aggregate: String, state: [Field]) -> Event {
        let fields = checkFields(syntax.fields, of: "event \(syntax.name.value)", defaults: .forbidden)
        for field in syntax.fields where field.name.value == "previous" {
            diagnostics.error("event field name 'previous' is taken by the values an event captures", at: field.name.location)
        }
        var operations: [Operation]?
        if let written = syntax.operations {
            var targets = Set<String>()
            operations = written.compactMap { op in
                let checked = checkOperation(op, targets: state, owner: "the state of \(aggregate)", eventFields: fields, allowEnvelope: false, aggregate: aggregate)
                if let checked, !targets.insert(checked.target.name).inserted {
                    diagnostics.error("'\(checked.target.name)' is changed twice by \(syntax.name.value)", at: op.target.location, hint: "one operation per field")
                    return nil
                }
                return checked
            }
        }
        var inverse: Event.Inverse = operations == nil ? .swift : .generated
        if let irreversible = syntax.irreversible {
            inverse = .irreversible(reason: irreversible.value)
            if let named = syntax.inverse {
                diagnostics.error("an irreversible event cannot name an inverse", at: named.location)
            }
        } else if let named = syntax.inverse {
            if operations == nil {
                diagnostics.error("an event applied in Swift gets its inverse in Swift, not from 'inverse'", at: named.location)
            } else {
                inverse = .named(named.value)
            }
        }
        return Event(name: syntax.name.value, aggregate: aggregate, doc: syntax.doc, version: syntax.version?.value ?? 1,
                     fields: fields, operations: operations, inverse: inverse)
    }

    /// Checks a named inverse: it exists, and its operations and fields undo the original's.
    private mutating func checkInverses(_ syntax: AggregateSyntax, _ aggregate: inout Aggregate) {
        var inverseOf: [String: String] = [:]
        for (index, event) in aggregate.events.enumerated() {
            guard case .named(let name) = event.inverse,
                  let written = syntax.events.first(where: { $0.name.value == event.name })?.inverse else { continue }
            guard let other = aggregate.event(named: name) else {
                diagnostics.error("unknown inverse event '\(name)' in \(aggregate.name)", at: written.location,
                                  hint: Suggestion.hint(for: name, among: aggregate.events.map(\.name)) ?? "leave 'inverse' out to get a generated \(event.name).Reverted")
                aggregate.events[index].inverse = .generated
                continue
            }
            guard other.name != event.name else {
                diagnostics.error("an event cannot be its own inverse", at: written.location)
                continue
            }
            if let problem = inverseProblem(event, other) {
                diagnostics.error("\(other.name) does not undo \(event.name): \(problem)", at: written.location,
                                  hint: "leave 'inverse' out to get a generated \(event.name).Reverted")
                aggregate.events[index].inverse = .generated
                continue
            }
            inverseOf[event.name] = other.name
        }
        // The inverse of an inverse is the original: pair them up both ways.
        for (original, inverse) in inverseOf {
            guard let index = aggregate.events.firstIndex(where: { $0.name == inverse }) else { continue }
            switch aggregate.events[index].inverse {
            case .named(let back) where back != original && inverseOf[inverse] != nil:
                let location = syntax.events.first { $0.name.value == inverse }?.inverse?.location
                diagnostics.error("\(inverse) names \(back) as its inverse, but \(original) names \(inverse) as its own", at: location, hint: "an event and its inverse must name each other")
            case .irreversible:
                diagnostics.error("\(original) names the irreversible event \(inverse) as its inverse", at: syntax.events.first { $0.name.value == original }?.inverse?.location)
            default:
                aggregate.events[index].inverse = .named(original)
            }
        }
    }

    /// Why `inverse` does not undo `original`, or `nil` when it does.
    private func inverseProblem(_ original: Event, _ inverse: Event) -> String? {
        guard let forward = original.operations, let backward = inverse.operations else { return "one of them is applied in Swift" }
        let originalFields = Dictionary(original.fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        let inverseFields = Dictionary(inverse.fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        if originalFields != inverseFields {
            return "their fields differ (\(original.name): \(describe(original.fields)); \(inverse.name): \(describe(inverse.fields)))"
        }
        func opposite(_ kind: OperationKind) -> OperationKind? {
            switch kind {
            case .add: return .subtract
            case .subtract: return .add
            case .append: return .remove
            case .remove: return .append
            case .set: return nil
            }
        }
        for op in forward {
            guard let undo = opposite(op.kind) else {
                return "'set \(op.target.name)' can only be undone by restoring the previous value, which a generated inverse does"
            }
            guard backward.contains(Operation(kind: undo, target: op.target, value: op.value)) else {
                return "'\(op.kind.rawValue) \(op.target.name)' needs '\(undo.rawValue) \(op.target.name)' with the same value in \(inverse.name)"
            }
            if op.kind == .remove || op.kind == .append {
                return "'\(op.kind.rawValue) \(op.target.name)' is only undone exactly by a generated inverse, which knows the element's place"
            }
        }
        if forward.count != backward.count {
            return "\(inverse.name) changes fields that \(original.name) does not"
        }
        return nil
    }

    private func describe(_ fields: [Field]) -> String {
        fields.isEmpty ? "none" : fields.map { "\($0.name): \($0.type.swift)" }.joined(separator: ", ")
    }

    /// Checks one operation against its target fields (state or view) and the event's fields.
    private mutating func checkOperation(
        _ syntax: OperationSyntax, targets: [Field], owner: String, eventFields: [Field], allowEnvelope: Bool, aggregate: String
    ) -> Operation? {
        guard let kind = OperationKind(rawValue: syntax.kind.value) else { return nil }
        guard let target = targets.first(where: { $0.name == syntax.target.value }) else {
            if unresolvedFields.contains(syntax.target.value) { return nil }
            diagnostics.error("unknown field '\(syntax.target.value)' in \(owner)", at: syntax.target.location,
                              hint: Suggestion.hint(for: syntax.target.value, among: targets.map(\.name) + unresolvedFields))
            return nil
        }
        let valueType: FieldType
        switch kind {
        case .add, .subtract:
            guard target.type.isNumeric else {
                diagnostics.error("'\(kind.rawValue)' needs a number, but '\(target.name)' is \(target.type.swift)", at: syntax.target.location, hint: "use 'set' for other types")
                return nil
            }
            valueType = target.type
        case .set:
            valueType = target.type
        case .append, .remove:
            guard let element = target.type.listElement else {
                diagnostics.error("'\(kind.rawValue)' needs a list, but '\(target.name)' is \(target.type.swift)", at: syntax.target.location)
                return nil
            }
            valueType = element
        }
        guard let value = checkValue(syntax.value, type: valueType, eventFields: eventFields, allowEnvelope: allowEnvelope, aggregate: aggregate,
                                     context: "'\(kind.rawValue) \(target.name)'") else { return nil }
        return Operation(kind: kind, target: target, value: value)
    }

    private mutating func checkValue(_ node: YAMLNode, type: FieldType, eventFields: [Field], allowEnvelope: Bool, aggregate: String, context: String) -> Value? {
        if node.pairs != nil {
            guard case .structure(let name) = type.resolved, let declaration = module.type(named: name),
                  case .structure(let members) = declaration.kind else {
                diagnostics.error("\(context): a mapping builds a struct, but the value here is \(type.swift)", at: node.location)
                return nil
            }
            var values: [(field: String, value: Value)] = []
            var given = Set<String>()
            for (key, value) in node.pairs ?? [] {
                let member = key.scalar ?? ""
                guard let field = members.first(where: { $0.name == member }) else {
                    diagnostics.error("unknown field '\(member)' in struct \(name)", at: key.location, hint: Suggestion.hint(for: member, among: members.map(\.name)))
                    continue
                }
                given.insert(member)
                if let checked = checkValue(value, type: field.type, eventFields: eventFields, allowEnvelope: allowEnvelope, aggregate: aggregate, context: "\(context), field '\(member)'") {
                    values.append((member, checked))
                }
            }
            for member in members where !given.contains(member.name) {
                guard let fallback = member.defaultValue else {
                    diagnostics.error("\(context): struct \(name) needs a value for '\(member.name)'", at: node.location)
                    continue
                }
                values.append((member.name, .literal(fallback)))
            }
            return .object(type: name, values.sorted { a, b in
                (members.firstIndex { $0.name == a.field } ?? 0) < (members.firstIndex { $0.name == b.field } ?? 0)
            })
        }
        guard let text = node.scalar, node.items == nil else {
            return literal(node, of: type, context: context).map(Value.literal)
        }
        if !node.isQuoted, let field = eventFields.first(where: { $0.name == text }) {
            guard compatible(field.type, type) else {
                diagnostics.error("\(context): event field '\(text)' is \(field.type.swift), expected \(type.swift)", at: node.location)
                return nil
            }
            return .eventField(text)
        }
        if !node.isQuoted, text.hasPrefix("$") {
            let name = String(text.dropFirst())
            guard allowEnvelope else {
                diagnostics.error("\(context): envelope values such as '\(text)' are only for views", at: node.location, hint: "keep state to what the event says")
                return nil
            }
            let known = SchemaChecker.envelopeValues.merging(["id": (.aggregateID(aggregate), "id")]) { a, _ in a }
            guard let (envelopeType, _) = known[name] else {
                diagnostics.error("\(context): unknown envelope value '\(text)'", at: node.location,
                                  hint: Suggestion.hint(for: name, among: known.keys).map { "\($0.dropLast()) — with a $?" } ?? "known: " + known.keys.sorted().map { "$\($0)" }.joined(separator: ", "))
                return nil
            }
            guard compatible(envelopeType, type) else {
                diagnostics.error("\(context): '\(text)' is \(envelopeType.swift), expected \(type.swift)", at: node.location)
                return nil
            }
            return .envelope(name)
        }
        // Not a field: a literal of the expected type.
        let isLiteral: Bool = {
            switch type.resolved {
            case .int, .int64: return Int64(text) != nil && !node.isQuoted
            case .double: return Double(text) != nil && !node.isQuoted
            case .bool: return (text == "true" || text == "false") && !node.isQuoted
            case .enumeration(_, let cases): return cases.contains(text) && !node.isQuoted
            case .string: return node.isQuoted
            case .optional: return text == "null" || text == "~"
            default: return false
            }
        }()
        if !isLiteral, !node.isQuoted, SwiftName.isValidIdentifier(text), !isEnumCase(text, of: type) {
            var candidates = eventFields.map(\.name)
            if case .enumeration(_, let cases) = type.resolved { candidates += cases }
            diagnostics.error("\(context): unknown event field '\(text)'", at: node.location,
                              hint: Suggestion.hint(for: text, among: candidates) ?? (eventFields.isEmpty ? "the event has no fields" : "the event's fields: \(eventFields.map(\.name).joined(separator: ", "))"))
            return nil
        }
        return literal(node, of: type, context: context).map(Value.literal)
    }

    private func isEnumCase(_ text: String, of type: FieldType) -> Bool {
        if case .enumeration(_, let cases) = type.resolved { return cases.contains(text) }
        return false
    }

    /// Whether a value of type `source` can be stored in a field of type `target`.
    private func compatible(_ source: FieldType, _ target: FieldType) -> Bool {
        if source == target || source.resolved == target.resolved { return true }
        if case .optional(let wrapped) = target.resolved { return compatible(source, wrapped) }
        return false
    }

    // MARK: Commands

    private mutating func checkCommand(_ syntax: CommandSyntax, aggregate: Aggregate) -> Command? {
        let fields = checkFields(syntax.fields, of: "command \(syntax.name.value)", defaults: .forbidden)
        if let clash = syntax.fields.first(where: { $0.name.value == SwiftName.lowerFirst(aggregate.name) }) {
            diagnostics.error("command field '\(clash.name.value)' has the name the generated call gives the \(aggregate.name)'s id", at: clash.name.location, hint: "rename the field")
        }
        if fields.contains(where: { $0.name == "id" }) {
            diagnostics.error("a command of \(aggregate.name) has its target in 'id'; choose another field name", at: syntax.fields.first { $0.name.value == "id" }?.name.location)
        }
        var emits: [String] = []
        for name in syntax.emits {
            guard aggregate.event(named: name.value) != nil else {
                diagnostics.error("unknown event '\(name.value)' in \(aggregate.name)", at: name.location, hint: Suggestion.hint(for: name.value, among: aggregate.events.map(\.name)))
                continue
            }
            emits.append(name.value)
        }
        if syntax.emits.isEmpty {
            diagnostics.error("command \(syntax.name.value) emits no event", at: syntax.name.location, hint: "add 'emits: [EventName]'")
        }
        let decideInSwift = syntax.decideSwift != nil
        let errors = checkErrorNames(syntax.errors)
        if !errors.isEmpty, !decideInSwift {
            diagnostics.error("command \(syntax.name.value) declares errors but is decided by generated code, which raises none", at: syntax.errors.first?.location, hint: "add 'decide: swift'")
        }
        if !decideInSwift {
            for name in emits {
                guard let event = aggregate.event(named: name) else { continue }
                for field in event.fields {
                    guard let source = fields.first(where: { $0.name == field.name }) else {
                        diagnostics.error("command \(syntax.name.value) cannot decide \(name) by itself: it has no field '\(field.name)'", at: syntax.name.location,
                                          hint: "add the field '\(field.name): \(field.type.swift)', or 'decide: swift'")
                        continue
                    }
                    if source.type != field.type {
                        diagnostics.error("command \(syntax.name.value) field '\(field.name)' is \(source.type.swift), but \(name) needs \(field.type.swift)", at: syntax.fields.first { $0.name.value == field.name }?.type.location)
                    }
                }
            }
        }
        return Command(name: syntax.name.value, aggregate: aggregate.name, doc: syntax.doc, fields: fields,
                       creates: syntax.creates?.value ?? false, emits: emits, errors: errors, decideInSwift: decideInSwift)
    }

    private mutating func checkErrorNames(_ names: [Located<String>]) -> [String] {
        var seen = Set<String>()
        return names.compactMap { name in
            guard SwiftName.isValidIdentifier(name.value), name.value.first?.isLowercase == true else {
                diagnostics.error("error name '\(name.value)' must start with a lowercase letter, e.g. insufficientFunds", at: name.location)
                return nil
            }
            guard seen.insert(name.value).inserted else {
                diagnostics.error("duplicate error '\(name.value)'", at: name.location)
                return nil
            }
            return name.value
        }
    }

    private mutating func checkModuleCommand(_ syntax: CommandSyntax, file: String) -> ModuleCommand? {
        let fields = checkFields(syntax.fields, of: "command \(syntax.name.value)", defaults: .forbidden)
        var targets: [(name: String, aggregate: String, events: [String])] = []
        for (name, aggregateName) in syntax.targets {
            guard SwiftName.isValidIdentifier(name.value), name.value.first?.isLowercase == true else {
                diagnostics.error("target name '\(name.value)' must start with a lowercase letter", at: name.location)
                continue
            }
            if fields.contains(where: { $0.name == name.value }) {
                diagnostics.error("target '\(name.value)' has the name of a field", at: name.location)
            }
            guard let aggregate = module.aggregate(named: aggregateName.value) else {
                diagnostics.error("unknown aggregate '\(aggregateName.value)'", at: aggregateName.location, hint: Suggestion.hint(for: aggregateName.value, among: module.aggregates.map(\.name)))
                continue
            }
            var events: [String] = []
            if let emitted = syntax.emitsByTarget.first(where: { $0.target.value == name.value }) {
                for event in emitted.events {
                    guard aggregate.event(named: event.value) != nil else {
                        diagnostics.error("unknown event '\(event.value)' in \(aggregate.name)", at: event.location, hint: Suggestion.hint(for: event.value, among: aggregate.events.map(\.name)))
                        continue
                    }
                    events.append(event.value)
                }
            }
            if events.isEmpty {
                diagnostics.error("target '\(name.value)' of \(syntax.name.value) has no events under 'emits'", at: name.location, hint: "add 'emits: { \(name.value): [EventName] }'")
            }
            targets.append((name.value, aggregate.name, events))
        }
        for (target, _) in syntax.emitsByTarget where !syntax.targets.contains(where: { $0.name.value == target.value }) {
            diagnostics.error("'emits' names '\(target.value)', which is not a target", at: target.location, hint: Suggestion.hint(for: target.value, among: syntax.targets.map(\.name.value)))
        }
        if syntax.targets.isEmpty {
            diagnostics.error("a module-level command needs 'targets', e.g. { from: Account, to: Account }", at: syntax.name.location,
                              hint: "a command on one aggregate goes under that aggregate's 'commands'")
            return nil
        }
        return ModuleCommand(name: syntax.name.value, doc: syntax.doc, fields: fields, targets: targets, errors: checkErrorNames(syntax.errors), file: file)
    }

    /// An event is creating when only creating commands emit it: it always starts its stream.
    private mutating func markCreatingEvents() {
        for aggregateIndex in module.aggregates.indices {
            let aggregate = module.aggregates[aggregateIndex]
            for eventIndex in aggregate.events.indices {
                let name = aggregate.events[eventIndex].name
                let emitters = aggregate.commands.filter { $0.emits.contains(name) }
                let byModuleCommands = module.commands.contains { $0.targets.contains { $0.aggregate == aggregate.name && $0.events.contains(name) } }
                module.aggregates[aggregateIndex].events[eventIndex].isCreating =
                    !emitters.isEmpty && emitters.allSatisfy(\.creates) && !byModuleCommands && aggregate.events[eventIndex].isFirstOfCommand(in: aggregate)
            }
        }
    }

    // MARK: Views

    private mutating func checkView(_ syntax: ViewSyntax, file: String) -> View {
        var key: String?
        if let written = syntax.key {
            if module.aggregate(named: written.value) != nil {
                key = written.value
            } else {
                let name = written.value.hasSuffix(".id") ? String(written.value.dropLast(3)) : written.value
                if module.aggregate(named: name) != nil {
                    key = name
                } else {
                    diagnostics.error("unknown aggregate '\(written.value)' as the key of \(syntax.name.value)", at: written.location,
                                      hint: Suggestion.hint(for: written.value, among: module.aggregates.map(\.name)) ?? "leave 'key' out for a view with a single row")
                }
            }
        }
        let fields = checkFields(syntax.fields, of: "view \(syntax.name.value)", defaults: .required)
        for field in syntax.fields where ["id", "eventCount"].contains(field.name.value) {
            diagnostics.error("view field name '\(field.name.value)' is taken by the row's generated members", at: field.name.location)
        }
        var index: [Field] = []
        for name in syntax.index {
            guard let field = fields.first(where: { $0.name == name.value }) else {
                diagnostics.error("unknown field '\(name.value)' in index of \(syntax.name.value)", at: name.location, hint: Suggestion.hint(for: name.value, among: fields.map(\.name)))
                continue
            }
            guard field.type.isIndexable else {
                diagnostics.error("field '\(name.value)' of type \(field.type.swift) cannot be indexed", at: name.location, hint: "index text, whole numbers, booleans, enums or ids")
                continue
            }
            if key == nil { diagnostics.error("a view with a single row has no index", at: name.location) }
            index.append(field)
        }
        var handlers: [View.Handler] = []
        var handled = Set<String>()
        for (eventName, operations) in syntax.handlers {
            let parts = eventName.value.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let aggregate = module.aggregate(named: parts[0]) else {
                let all = module.aggregates.flatMap { a in a.events.map { "\(a.name).\($0.name)" } }
                diagnostics.error("unknown event '\(eventName.value)' in view \(syntax.name.value)", at: eventName.location,
                                  hint: Suggestion.hint(for: eventName.value, among: all) ?? "name events as Aggregate.Event, e.g. Account.Deposited")
                continue
            }
            guard let event = aggregate.event(named: parts[1]) else {
                diagnostics.error("unknown event '\(eventName.value)' in view \(syntax.name.value)", at: eventName.location,
                                  hint: Suggestion.closest(to: parts[1], among: aggregate.events.map(\.name)).map { "did you mean '\(aggregate.name).\($0)'?" })
                continue
            }
            if let key, key != aggregate.name {
                diagnostics.error("view \(syntax.name.value) has one row per \(key) and cannot handle \(eventName.value)", at: eventName.location)
                continue
            }
            guard handled.insert(event.typeName).inserted else {
                diagnostics.error("view \(syntax.name.value) handles \(eventName.value) twice", at: eventName.location)
                continue
            }
            var targets = Set<String>()
            let checked = operations.compactMap { op -> Operation? in
                if op.kind.value == "remove" {
                    diagnostics.error("views cannot 'remove'", at: op.kind.location, hint: "a view's undo must know what it removed; keep such lists in the aggregate's state")
                    return nil
                }
                guard let checked = checkOperation(op, targets: fields, owner: "view \(syntax.name.value)", eventFields: event.fields, allowEnvelope: true, aggregate: aggregate.name) else { return nil }
                guard targets.insert(checked.target.name).inserted else {
                    diagnostics.error("'\(checked.target.name)' is changed twice in one handler", at: op.target.location)
                    return nil
                }
                return checked
            }
            handlers.append(View.Handler(aggregate: aggregate.name, event: event.name, operations: checked, eventIsCreating: event.isCreating))
            checkUndoable(view: syntax.name.value, keyed: key != nil, event: event, aggregate: aggregate, operations: checked,
                          allHandlers: syntax.handlers, fields: fields, at: eventName.location, ops: operations)
        }
        if syntax.handlers.isEmpty { diagnostics.warning("view \(syntax.name.value) handles no events", at: syntax.name.location) }
        return View(name: syntax.name.value, doc: syntax.doc, key: key, fields: fields, index: index, handlers: handlers, file: file)
    }

    /// A view's `set` can be undone only when the previous value is known: the row did not exist
    /// before a creating event, or the view mirrors a state field whose previous value the event
    /// captures.
    private mutating func checkUndoable(
        view: String, keyed: Bool, event: Event, aggregate: Aggregate, operations: [Operation],
        allHandlers: [(event: Located<String>, operations: [OperationSyntax])], fields: [Field], at location: SourceLocation, ops: [OperationSyntax]
    ) {
        if case .irreversible = event.inverse { return }
        for op in operations where op.kind == .set {
            let place = ops.first { $0.target.value == op.target.name }?.target.location ?? location
            guard keyed else {
                diagnostics.error("the inverse of \(event.typeName) cannot be derived for view \(view): a view with a single row cannot undo 'set \(op.target.name)'",
                                  at: place, hint: "use add or subtract, or mark the event 'irreversible: <reason>'")
                continue
            }
            if event.isCreating { continue }
            guard let mirrored = event.operations?.first(where: { $0.kind == .set && $0.value == op.value }) else {
                diagnostics.error("the inverse of \(event.typeName) cannot be derived for view \(view): the previous value of '\(op.target.name)' is unknown",
                                  at: place, hint: "set an aggregate state field from the same value in the event's 'apply' (its previous value is then captured), or mark the event 'irreversible: <reason>'")
                continue
            }
            // The view field must follow every change of the state field, or its previous value
            // would differ from the state's.
            for other in aggregate.events {
                guard let change = other.operations?.first(where: { $0.target.name == mirrored.target.name }) else { continue }
                let handler = allHandlers.first { $0.event.value == other.typeName }
                let follows = handler?.operations.contains { $0.kind.value == change.kind.rawValue && $0.target.value == op.target.name } ?? false
                if !follows {
                    diagnostics.error("the inverse of \(event.typeName) cannot be derived for view \(view): '\(op.target.name)' mirrors \(aggregate.name).\(mirrored.target.name), but the view does not follow \(other.typeName), which changes it",
                                      at: place, hint: "handle \(other.typeName) with '\(change.kind.rawValue): { \(op.target.name): ... }'")
                }
            }
        }
    }
}

private extension FieldType {
    var aliasUnderlying: FieldType? {
        if case .alias(_, let underlying) = self { return underlying }
        return nil
    }
}

private extension Event {
    /// Whether every command emitting this event emits it first.
    func isFirstOfCommand(in aggregate: Aggregate) -> Bool {
        aggregate.commands.filter { $0.emits.contains(name) }.allSatisfy { $0.emits.first == name }
    }
}

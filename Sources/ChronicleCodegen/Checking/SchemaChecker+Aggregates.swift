import Foundation

/// Checking aggregates: state, events, named inverses and operations.
extension SchemaChecker {
    mutating func checkAggregate(_ syntax: AggregateSyntax, file: String) -> Aggregate {
        let name = syntax.name.value
        let errorsBefore = diagnostics.errorCount
        defer { if diagnostics.errorCount > errorsBefore { incomplete.insert(name) } }
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
                diagnostics.error("duplicate event '\(event.name.value)' in \(name)", at: event.name.location, note: "first declared here", at: first)
                continue
            }
            guard checkMemberName(event.name, kind: "event", in: name) else { continue }
            eventNames[event.name.value] = event.name.location
            events.append(checkEvent(event, aggregate: name, state: state))
        }
        // Without events, the aggregate's event enum would have no cases, and its state could never change.
        if syntax.events.isEmpty { diagnostics.error("aggregate '\(name)' declares no events", at: syntax.name.location, hint: "an aggregate changes only through its events; add one under 'events'") }
        var aggregate = Aggregate(name: name, doc: syntax.doc, idType: idType, state: state, events: events, commands: [], file: file,
                                  revision: syntax.revision?.value ?? 1)
        checkInverses(syntax, &aggregate, judgeDerivations: diagnostics.errorCount == errorsBefore)
        checkFormerNames(syntax, aggregate)
        var commandNames: [String: SourceLocation] = [:]
        for command in syntax.commands {
            if let first = commandNames[command.name.value] ?? (eventNames[command.name.value]) {
                diagnostics.error("duplicate name '\(command.name.value)' in \(name)", at: command.name.location, note: "first declared here", at: first)
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
    mutating func checkMemberName(_ name: Located<String>, kind: String, in aggregate: String) -> Bool {
        guard SwiftName.isTypeName(name.value) else {
            diagnostics.error("\(kind) name '\(name.value)' must start with a capital letter and hold only letters and digits", at: name.location)
            return false
        }
        if SchemaChecker.namesGeneratedCodeUses.contains(name.value) || FieldType.builtins[name.value] != nil || name.value.hasSuffix("Error") {
            diagnostics.error("\(kind) name '\(name.value)' is taken by generated code in \(aggregate)", at: name.location,
                              hint: "the names the generated code uses (State, Event, ID, Row, Previous, built-in and runtime types) and names ending in Error are reserved")
            return false
        }
        if typeSyntax[name.value] != nil || aggregateSyntax[name.value] != nil {
            diagnostics.error("\(kind) '\(name.value)' of \(aggregate) has the name of a module-level declaration, which it would hide inside \(aggregate)", at: name.location, hint: "rename one of them")
            return false
        }
        return true
    }

    mutating func checkEvent(_ syntax: EventSyntax, aggregate: String, state: [Field]) -> Event {
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
        var event = Event(name: syntax.name.value, aggregate: aggregate, doc: syntax.doc, version: syntax.version?.value ?? 1,
                          fields: fields, operations: operations, inverse: inverse)
        event.formerNames = syntax.formerly.map(\.value)
        event.upcast = Self.mappingCapturedCases(checkUpcast(syntax, fields: fields), captured: event.capturedFields, eventFields: fields)
        event.location = syntax.name.location
        event.versionLocation = syntax.version?.location
        event.fieldLocations = Dictionary(syntax.fields.map { ($0.name.value, $0.name.location) }, uniquingKeysWith: { first, _ in first })
        return event
    }

    /// Checks a named inverse: it exists, and its operations and fields undo the original's.
    ///
    /// With `judgeDerivations` false (the aggregate already had errors, so fields or operations
    /// may be missing), a named inverse that does not undo its event falls back to a generated
    /// one without a second error.
    mutating func checkInverses(_ syntax: AggregateSyntax, _ aggregate: inout Aggregate, judgeDerivations: Bool) {
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
                if judgeDerivations { diagnostics.error("\(other.name) does not undo \(event.name): \(problem)", at: written.location,
                                  hint: "leave 'inverse' out to get a generated \(event.name).Reverted") }
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
    func inverseProblem(_ original: Event, _ inverse: Event) -> String? {
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

    func describe(_ fields: [Field]) -> String {
        fields.isEmpty ? "none" : fields.map { "\($0.name): \($0.type.swift)" }.joined(separator: ", ")
    }

    /// Checks one operation against its target fields (state or view) and the event's fields.
    mutating func checkOperation(
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

    mutating func checkValue(_ node: YAMLNode, type: FieldType, eventFields: [Field], allowEnvelope: Bool, aggregate: String, context: String) -> Value? {
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
            case .optional: return node.isNull
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

    func isEnumCase(_ text: String, of type: FieldType) -> Bool {
        if case .enumeration(_, let cases) = type.resolved { return cases.contains(text) }
        return false
    }

    /// Whether a value of type `source` can be stored in a field of type `target`.
    func compatible(_ source: FieldType, _ target: FieldType) -> Bool {
        if source == target || source.resolved == target.resolved { return true }
        if case .optional(let wrapped) = target.resolved { return compatible(source, wrapped) }
        return false
    }
}

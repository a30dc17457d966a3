/// Checking how an event evolves: `version`, `upcast` and `formerly`.
extension SchemaChecker {
    /// Checks an event's upcasts against its version and its current fields.
    mutating func checkUpcast(_ syntax: EventSyntax, fields: [Field]) -> Upcast {
        let version = syntax.version?.value ?? 1
        let event = syntax.name.value
        guard let upcast = syntax.upcast else {
            if version > 1, let location = syntax.version?.location {
                diagnostics.error("\(event) is at version \(version) but says how to read none of its earlier versions", at: location,
                                  hint: "add 'upcast:' with a step from each earlier version, e.g. upcast: { 1: { added: { field: value } } }, or 'upcast: swift'")
            }
            return .none
        }
        if version == 1 {
            diagnostics.error("\(event) is at version 1, which has no earlier version to upcast from", at: upcast.location,
                              hint: "raise 'version' when the payload changes, and upcast from the version before")
            return .none
        }
        guard case .steps(let written, _) = upcast else { return .swift }
        var steps: [UpcastStep] = []
        var seen: [Int: SourceLocation] = [:]
        for step in written.sorted(by: { $0.from.value < $1.from.value }) {
            if let first = seen[step.from.value] {
                diagnostics.error("a second upcast from version \(step.from.value)", at: step.from.location, note: "first here", at: first)
                continue
            }
            seen[step.from.value] = step.from.location
            guard step.from.value < version else {
                diagnostics.error("an upcast from version \(step.from.value), but \(event) is at version \(version)", at: step.from.location,
                                  hint: "a step reads version N and gives version N+1, for N from 1 to \(version - 1)")
                continue
            }
            steps.append(checkUpcastStep(step, later: written.filter { $0.from.value > step.from.value }, fields: fields, version: version, event: event))
        }
        for missing in 1..<version where seen[missing] == nil {
            diagnostics.error("\(event) says nothing about reading version \(missing)", at: upcast.location,
                              hint: "add a step '\(missing): { … }' (an empty one, '\(missing): {}', when the payload did not change)")
        }
        return .steps(steps)
    }

    /// Where a field named at one step ends up after the later steps: its name in the current
    /// version, or `nil` when a later step removes it.
    func finalName(of field: String, after later: [UpcastStepSyntax]) -> String? {
        var name = field
        for step in later.sorted(by: { $0.from.value < $1.from.value }) {
            if step.removed.contains(where: { $0.value == name }) { return nil }
            if let rename = step.renamed.first(where: { $0.from.value == name }) { name = rename.to.value }
        }
        return name
    }

    mutating func checkUpcastStep(_ step: UpcastStepSyntax, later: [UpcastStepSyntax], fields: [Field], version: Int, event: String) -> UpcastStep {
        var changes: [UpcastStep.Change] = step.removed.map { .removed($0.value) }
        let context = "the upcast from version \(step.from.value)"
        func current(_ name: Located<String>, _ what: String) -> Field? {
            guard let final = finalName(of: name.value, after: later) else { return nil }
            guard let field = fields.first(where: { $0.name == final }) else {
                diagnostics.error("\(context) \(what) '\(name.value)', which is not a field of version \(version)\(final == name.value ? "" : " (there it would be '\(final)')")", at: name.location,
                                  hint: Suggestion.hint(for: final, among: fields.map(\.name)) ?? "the fields of \(event): \(describe(fields))")
                return nil
            }
            return field
        }
        for rename in step.renamed {
            if rename.from.value == rename.to.value {
                diagnostics.error("\(context) renames '\(rename.from.value)' to itself", at: rename.to.location)
                continue
            }
            _ = current(rename.to, "renames a field to")
            changes.append(.renamed(from: rename.from.value, to: rename.to.value))
        }
        for (name, value) in step.added {
            guard let field = current(name, "adds") else { continue }
            guard let json = jsonLiteral(value, of: field.type, context: "\(context), value of '\(name.value)'") else { continue }
            changes.append(.added(name.value, json: json.swift, jsonText: json.text))
        }
        for (name, mapping) in step.cases {
            guard let field = current(name, "maps the cases of") else { continue }
            guard let cases = enumCases(of: field.type) else {
                diagnostics.error("\(context) maps the cases of '\(name.value)', which is \(field.type.swift), not an enum", at: name.location)
                continue
            }
            for (_, new) in mapping where !cases.contains(new.value) {
                diagnostics.error("\(context): '\(new.value)' is not a case of \(field.type.swift)", at: new.location,
                                  hint: Suggestion.hint(for: new.value, among: cases) ?? "cases: \(cases.joined(separator: ", "))")
            }
            changes.append(.cases(name.value, mapping.map { (from: $0.from.value, to: $0.to.value) }))
        }
        return UpcastStep(from: step.from.value, changes: changes)
    }

    /// Adds to each step's `cases` the values the event captured (`previous`) of the same enum:
    /// a case renamed in the enum was renamed there too.
    static func mappingCapturedCases(_ upcast: Upcast, captured: [Field], eventFields: [Field]) -> Upcast {
        guard case .steps(var steps) = upcast, !captured.isEmpty else { return upcast }
        func enumName(_ type: FieldType) -> String? {
            switch type.resolved {
            case .enumeration(let name, _): return name
            case .list(let element), .optional(let element): return enumName(element)
            default: return nil
            }
        }
        for index in steps.indices {
            var extra: [UpcastStep.Change] = []
            for change in steps[index].changes {
                guard case .cases(let field, let mapping) = change else { continue }
                // The field's type is the current one's; a rename in a later step is rare enough
                // to look the field up by either name.
                guard let type = eventFields.first(where: { $0.name == field })?.type, let name = enumName(type) else { continue }
                for member in captured where enumName(member.type) == name && !extra.contains(where: {
                    if case .cases("previous." + member.name, _) = $0 { return true } else { return false }
                }) {
                    extra.append(.cases("previous." + member.name, mapping))
                }
            }
            steps[index].changes += extra
        }
        return .steps(steps)
    }

    /// The cases of an enum field (also of a list or an optional of one).
    func enumCases(of type: FieldType) -> [String]? {
        switch type.resolved {
        case .enumeration(_, let cases): return cases
        case .list(let element), .optional(let element): return enumCases(of: element)
        default: return nil
        }
    }

    /// The `JSONValue` a YAML value of `type` is stored as, as a Swift expression and as JSON
    /// text; checked like a default: numbers, booleans, quoted text, enum cases, `null` for an
    /// optional, `[]`.
    mutating func jsonLiteral(_ node: YAMLNode, of type: FieldType, context: String) -> (swift: String, text: String)? {
        guard let swift = literal(node, of: type, context: context) else { return nil }
        if swift == "nil" { return (".null", "null") }
        if swift == "[]" { return (".array([])", "[]") }
        var resolved = type.resolved
        if case .optional(let wrapped) = resolved { resolved = wrapped.resolved }
        let text = node.scalar ?? ""
        switch resolved {
        case .int, .int64, .double: return (".number(\(SwiftLiteral.string(text)))", text)
        case .bool: return (".bool(\(swift))", swift)
        case .string, .enumeration: return (".string(\(SwiftLiteral.string(text)))", SwiftLiteral.json(text))
        default:
            diagnostics.error("\(context): a value of type \(type.swift) cannot be written in a schema", at: node.location, hint: "use 'upcast: swift'")
            return nil
        }
    }

    /// Checks `formerly`: type names, none the name of a current event, none claimed twice.
    mutating func checkFormerNames(_ syntax: AggregateSyntax, _ aggregate: Aggregate) {
        var claimed: [String: SourceLocation] = [:]
        for event in syntax.events {
            for former in event.formerly {
                guard SwiftName.isTypeName(former.value) else {
                    diagnostics.error("former name '\(former.value)' must start with a capital letter and hold only letters and digits", at: former.location)
                    continue
                }
                if let current = aggregate.event(named: former.value) {
                    diagnostics.error("'\(former.value)' is the name of an event of \(aggregate.name) today; a former name must be free", at: former.location,
                                      note: "\(current.name) is declared here", at: current.location)
                    continue
                }
                if let first = claimed[former.value] {
                    diagnostics.error("two events were formerly '\(former.value)'", at: former.location, note: "first claimed here", at: first)
                    continue
                }
                claimed[former.value] = former.location
            }
        }
    }
}

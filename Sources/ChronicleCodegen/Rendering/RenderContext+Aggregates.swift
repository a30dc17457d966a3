/// Rendering aggregates: ids, states, events, their inverses and codecs.
extension RenderContext {
    func aggregate(_ aggregate: Aggregate) -> AggregateModel {
        var eventCases: [EventCaseModel] = []
        var applyCases: [SwitchCaseModel] = []
        var captureCases: [SwitchCaseModel] = []
        for event in aggregate.events {
            let name = Self.caseName(event.name)
            let reverted = "\(name)Reverted"
            let changes = Self.fieldChanges(stateChanges(of: event, in: aggregate))
            let former = event.formerNames.map { "\(aggregate.name).\($0)" }
            eventCases.append(EventCaseModel(
                caseName: name, type: event.name, summary: Self.docLines(event.doc).first ?? "`\(event.typeName)`.", fieldChanges: changes,
                inverseBinding: inverseBinding(event), inverseExpression: inverseExpression(event, in: aggregate), irreversibleReason: irreversibleReason(event),
                formerTypeNames: former.map { ", " + SwiftLiteral.string($0) }.joined()
            ))
            if hasReverted(event) {
                eventCases.append(EventCaseModel(
                    caseName: reverted, type: "\(event.name).Reverted", summary: "Undoes `\(event.typeName)`.", fieldChanges: changes,
                    inverseBinding: "let event", inverseExpression: ".\(name)(event.original)", irreversibleReason: "nil",
                    formerTypeNames: former.map { ", " + SwiftLiteral.string($0 + ".Reverted") }.joined()
                ))
            }
            let apply = applyLines(event, in: aggregate)
            applyCases.append(SwitchCaseModel(pattern: ".\(name)(\(Self.binding(apply)))", lines: apply))
            if hasReverted(event) {
                let revert = revertLines(event, in: aggregate)
                applyCases.append(SwitchCaseModel(pattern: ".\(reverted)(\(Self.binding(revert)))", lines: revert))
            }
            if event.capturesAnything {
                // State fields through `self.`: the event is a local named `event`, and a field may be too.
                let captured = event.capturedFields.map { "\(SwiftName.label($0.name)): self.\(SwiftName.identifier($0.name))" }
                    + event.removedLists.compactMap { list in
                        guard let op = event.operations?.first(where: { $0.kind == .remove && $0.target == list }) else { return nil }
                        return "\(list.name)Index: self.\(SwiftName.identifier(list.name)).firstIndex(of: \(expression(op.value, event: "event")))"
                    }
                captureCases.append(SwitchCaseModel(
                    pattern: ".\(name)(var event)",
                    lines: ["event.previous = \(event.name).Previous(\(captured.joined(separator: ", ")))", "return .\(name)(event)"]
                ))
            }
        }
        let swiftEvents = aggregate.events.filter { $0.operations == nil }
        let swiftUpcasts = aggregate.events.filter { if case .swift = $0.upcast { return true } else { return false } }
        return AggregateModel(
            name: aggregate.name,
            doc: Self.docLines(aggregate.doc),
            idType: aggregate.idType.swift,
            idIsUUID: aggregate.idType == .uuid,
            idIsString: aggregate.idType == .string,
            idIsInt: aggregate.idType == .int,
            fingerprint: fingerprints.of(aggregate),
            requiresCreation: aggregate.commands.contains { $0.creates },
            stateFields: aggregate.state.map(Self.field),
            hasStateFields: !aggregate.state.isEmpty,
            stateInitParameters: Self.parameters(aggregate.state),
            applyCases: applyCases,
            captureCases: captureCases,
            hasCaptureCases: !captureCases.isEmpty,
            events: aggregate.events.map { event(_: $0) },
            eventCases: eventCases,
            commands: aggregate.commands.map(command),
            swiftEvents: swiftEvents.map { SwiftEventModel(name: $0.name, aggregate: aggregate.name, revertible: hasReverted($0)) },
            hasSwiftEvents: !swiftEvents.isEmpty,
            swiftUpcasts: swiftUpcasts.map { SwiftEventModel(name: $0.name, aggregate: aggregate.name, revertible: hasReverted($0)) },
            hasSwiftUpcasts: !swiftUpcasts.isEmpty
        )
    }

    func hasReverted(_ event: Event) -> Bool {
        switch event.inverse {
        case .generated, .swift: return true
        case .named, .irreversible: return false
        }
    }

    func inverseBinding(_ event: Event) -> String {
        if case .named(let other) = event.inverse, !(module.aggregate(named: event.aggregate)?.event(named: other)?.fields.isEmpty ?? true) { return "let event" }
        if hasReverted(event) { return "let event" }
        return "_"
    }

    func inverseExpression(_ event: Event, in aggregate: Aggregate) -> String {
        switch event.inverse {
        case .named(let other):
            let fields = aggregate.event(named: other)?.fields ?? []
            let arguments = fields.map { "\(SwiftName.label($0.name)): event.\(SwiftName.identifier($0.name))" }.joined(separator: ", ")
            return ".\(Self.caseName(other))(\(other)(\(arguments)))"
        case .generated, .swift:
            return ".\(Self.caseName(event.name))Reverted(\(event.name).Reverted(original: event))"
        case .irreversible:
            return "nil"
        }
    }

    func irreversibleReason(_ event: Event) -> String {
        if case .irreversible(let reason) = event.inverse { return SwiftLiteral.string(reason) }
        return "nil"
    }

    /// What an event changes in its aggregate's state: `add` and `subtract` commute, anything
    /// else does not; an event applied in Swift may change every field.
    func stateChanges(of event: Event, in aggregate: Aggregate) -> (additive: Set<String>, ordered: Set<String>) {
        guard let operations = event.operations else { return ([], Set(aggregate.state.map(\.name))) }
        return Self.changes(of: operations.map { ($0.target.name, $0.kind) })
    }

    /// Splits operations into commuting (`add`, `subtract`) and order-dependent changes.
    static func changes(of operations: [(field: String, kind: OperationKind)]) -> (additive: Set<String>, ordered: Set<String>) {
        var additive = Set<String>(), ordered = Set<String>()
        for (field, kind) in operations {
            if kind == .add || kind == .subtract { additive.insert(field) } else { ordered.insert(field) }
        }
        return (additive.subtracting(ordered), ordered)
    }

    /// The Swift expression of a ``FieldChanges`` value.
    static func fieldChanges(_ changes: (additive: Set<String>, ordered: Set<String>)) -> String {
        if changes.additive.isEmpty && changes.ordered.isEmpty { return ".none" }
        func list(_ names: Set<String>) -> String { "[" + names.sorted().map { "\"\($0)\"" }.joined(separator: ", ") + "]" }
        var arguments: [String] = []
        if !changes.additive.isEmpty { arguments.append("additive: \(list(changes.additive))") }
        if !changes.ordered.isEmpty { arguments.append("ordered: \(list(changes.ordered))") }
        return "FieldChanges(\(arguments.joined(separator: ", ")))"
    }

    func applyLines(_ event: Event, in aggregate: Aggregate) -> [String] {
        guard let operations = event.operations else { return ["Self.apply(event, to: &self)"] }
        let lines = operations.map { applyStatement($0, target: "self." + SwiftName.identifier($0.target.name), label: "\(aggregate.name).\($0.target.name)") }
        return lines.isEmpty ? ["break"] : lines
    }

    /// The Swift statement of an operation on `target` (a state field, or a view row's field);
    /// arithmetic is checked, and an overflow throws an error naming `label`.
    func applyStatement(_ op: Operation, target: String, label: String) -> String {
        let value = expression(op.value, event: "event")
        switch op.kind {
        case .set: return "\(target) = \(value)"
        case .add: return Self.checked("add", target, value, label)
        case .subtract: return Self.checked("subtract", target, value, label)
        case .append: return "\(target).append(\(value))"
        case .remove: return "if let index = \(target).firstIndex(of: \(value)) { \(target).remove(at: index) }"
        }
    }

    /// `target = try CheckedArithmetic.add(target, value, field: "label")`.
    static func checked(_ operation: String, _ target: String, _ value: String, _ label: String) -> String {
        "\(target) = try CheckedArithmetic.\(operation)(\(target), \(value), field: \"\(label)\")"
    }

    func revertLines(_ event: Event, in aggregate: Aggregate) -> [String] {
        guard let operations = event.operations else { return ["Self.revert(event.original, to: &self)"] }
        // Undo in reverse order, from the original's values and what it captured.
        let lines = operations.reversed().map { op -> String in
            let member = SwiftName.identifier(op.target.name)
            let target = "self." + member
            let value = expression(op.value, event: "event.original")
            switch op.kind {
            case .set: return "\(target) = event.original.previous?.\(member) ?? \(op.target.defaultValue ?? "State().\(member)")"
            case .add: return Self.checked("subtract", target, value, "\(aggregate.name).\(op.target.name)")
            case .subtract: return Self.checked("add", target, value, "\(aggregate.name).\(op.target.name)")
            case .append: return "if let index = \(target).lastIndex(of: \(value)) { \(target).remove(at: index) }"
            case .remove: return "if let index = event.original.previous?.\(op.target.name)Index { \(target).insert(\(value), at: min(index, \(target).count)) }"
            }
        }
        return lines.isEmpty ? ["break"] : lines
    }

    func event(_ event: Event) -> EventModel {
        var captured = event.capturedFields.map(Self.field)
        captured += event.removedLists.map { FieldModel(name: "\($0.name)Index", type: "Int?", doc: [], defaultValue: "nil") }
        let capturedParameters = event.capturedFields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }
            + event.removedLists.map { "\($0.name)Index: Int?" }
        let eventArguments = Self.decodedArguments(event.fields.map(\.name))
        var eventMembers = Self.members(event.fields)
        if event.capturesAnything { eventMembers.append(("previous", "Previous?", true)) }
        let eventCoding = Self.jsonCoding(eventMembers, construct: "self.init(\(eventArguments))", after: event.capturesAnything ? ["self.previous = \(Self.decodedName("previous"))"] : [])
        let previousMembers: [(name: String, type: String, optional: Bool)] = Self.members(event.capturedFields)
            + event.removedLists.map { (name: "\($0.name)Index", type: "Int?", optional: true) }
        let previousArguments = Self.decodedArguments(previousMembers.map(\.name))
        let previousCoding = Self.jsonCoding(previousMembers, construct: "self.init(\(previousArguments))")
        let revertedCoding = Self.jsonCoding([("original", event.name, false)], construct: "self.init(original: \(Self.decodedName("original")))")
        return EventModel(
            name: event.name,
            typeName: event.typeName,
            version: event.version,
            doc: Self.docLines(event.doc),
            fields: event.fields.map(Self.field),
            initParameters: Self.parameters(event.fields),
            jsonEncode: eventCoding.encode,
            jsonDecode: eventCoding.decode,
            captures: event.capturesAnything,
            capturedFields: captured,
            previousInitParameters: capturedParameters.joined(separator: ", "),
            previousEncode: previousCoding.encode,
            previousDecode: previousCoding.decode,
            hasReverted: hasReverted(event),
            revertedEncode: revertedCoding.encode,
            revertedDecode: revertedCoding.decode,
            hasUpcast: event.version > 1,
            upcastIsSwift: { if case .swift = event.upcast { return true } else { return false } }(),
            upcastSteps: upcastSteps(event),
            upcastStatement: {
                if case .swift = event.upcast { return "try \(event.aggregate).Event.upcast\(event.name)(stored)" }
                return "try stored.upcast(through: upcasts, to: \(event.name).self, version: schemaVersion)"
            }(),
            revertedUpcastStatement: "Reverted(original: try \(event.name).upcast(try stored.original()))",
            wasRenamed: !event.formerNames.isEmpty,
            formerTypeNamesList: "[" + event.formerNames.map { SwiftLiteral.string("\(event.aggregate).\($0)") }.joined(separator: ", ") + "]"
        )
    }

    /// The `PayloadUpcast` expressions of a declarative upcast, one per step.
    func upcastSteps(_ event: Event) -> [String] {
        guard case .steps(let steps) = event.upcast else { return [] }
        return steps.map { step in
            let changes = step.changes.map { change -> String in
                switch change {
                case .removed(let field): return ".removed(field: \(SwiftLiteral.string(field)))"
                case .renamed(let old, let new): return ".renamed(from: \(SwiftLiteral.string(old)), to: \(SwiftLiteral.string(new)))"
                case .added(let field, let json, _): return ".added(field: \(SwiftLiteral.string(field)), value: \(json))"
                case .cases(let field, let mapping):
                    let pairs = mapping.isEmpty ? ":" : mapping.map { "\(SwiftLiteral.string($0.from)): \(SwiftLiteral.string($0.to))" }.joined(separator: ", ")
                    return ".cases(field: \(SwiftLiteral.string(field)), mapping: [\(pairs)])"
                }
            }
            return "PayloadUpcast(from: \(step.from), changes: [\(changes.joined(separator: ", "))])"
        }
    }
}

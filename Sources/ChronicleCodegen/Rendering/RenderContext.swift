/// Turns the checked ``Module`` into the values the templates render: names, types, and the
/// lines of code inside switch cases, computed here so that templates stay free of logic.
struct RenderContext {
    let module: Module

    // MARK: Shared pieces

    static func docLines(_ doc: String?) -> [String] {
        guard let doc, !doc.isEmpty else { return [] }
        return doc.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: .whitespaces) }
    }

    static func field(_ field: Field) -> [String: Any] {
        [
            "name": SwiftName.identifier(field.name),
            "type": field.type.swift,
            "doc": docLines(field.doc),
            "defaultValue": field.defaultValue ?? "",
        ]
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
            return "\(type)(" + fields.map { "\(SwiftName.identifier($0.field)): \(expression($0.value, event: event))" }.joined(separator: ", ") + ")"
        }
    }

    /// `let event` when the lines use the event, `_` otherwise (no unused-value warnings).
    static func binding(_ lines: [String]) -> String {
        lines.contains { $0.contains("event") } ? "let event" : "_"
    }

    /// The lines of a hand-written JSON encoder and decoder for members (name, Swift type,
    /// optional?), the decoder ending with `construct` (which may use the members by name) and
    /// then `after` lines.
    static func jsonCoding(_ members: [(name: String, type: String, optional: Bool)], construct: String, after: [String] = []) -> [String: Any] {
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
        return ["jsonEncode": encode, "jsonDecode": decode]
    }

    /// The local a decoder reads a member into.
    static func decodedName(_ member: String) -> String { "decoded" + SwiftName.upperFirst(member) }

    /// `a: decodedA, b: decodedB`: the arguments that construct a value from decoded members.
    static func decodedArguments(_ names: [String]) -> String {
        names.map { "\(SwiftName.identifier($0)): \(decodedName($0))" }.joined(separator: ", ")
    }

    static func members(_ fields: [Field]) -> [(name: String, type: String, optional: Bool)] {
        fields.map { field in
            if case .optional = field.type.resolved { return (field.name, field.type.swift, true) }
            return (field.name, field.type.swift, false)
        }
    }

    static func caseName(_ event: String) -> String { SwiftName.identifier(SwiftName.lowerFirst(event)) }

    // MARK: Types

    func type(_ declaration: TypeDeclaration) -> [String: Any] {
        var context: [String: Any] = ["name": declaration.name, "doc": Self.docLines(declaration.doc)]
        switch declaration.kind {
        case .alias(let underlying):
            context["isAlias"] = true
            context["underlying"] = underlying.swift
        case .enumeration(let cases):
            context["isEnum"] = true
            context["cases"] = cases.map(SwiftName.identifier)
        case .structure(let fields):
            context["isStruct"] = true
            context["fields"] = fields.map(Self.field)
            context["initParameters"] = Self.parameters(fields, defaults: true)
            context.merge(Self.jsonCoding(Self.members(fields), construct: "self.init(\(Self.decodedArguments(fields.map(\.name))))")) { a, _ in a }
        }
        return context
    }

    // MARK: Aggregates

    func aggregate(_ aggregate: Aggregate) -> [String: Any] {
        var eventCases: [[String: Any]] = []
        var applyCases: [[String: Any]] = []
        var captureCases: [[String: Any]] = []
        for event in aggregate.events {
            let name = Self.caseName(event.name)
            let reverted = "\(name)Reverted"
            let overwritten = Set((event.operations ?? []).filter { $0.kind != .add && $0.kind != .subtract }.map(\.target.name))
                .sorted().map { "\"\($0)\"" }.joined(separator: ", ")
            eventCases.append([
                "overwritten": overwritten,
                "caseName": name, "type": event.name,
                "summary": Self.docLines(event.doc).first ?? "`\(event.typeName)`.",
                "inverseBinding": inverseBinding(event), "inverseExpression": inverseExpression(event, in: aggregate),
                "irreversibleReason": irreversibleReason(event),
            ])
            if hasReverted(event) {
                eventCases.append([
                    "overwritten": overwritten,
                    "caseName": reverted, "type": "\(event.name).Reverted",
                    "summary": "Undoes `\(event.typeName)`.",
                    "inverseBinding": "let event", "inverseExpression": ".\(name)(event.original)",
                    "irreversibleReason": "nil",
                ])
            }
            let apply = applyLines(event, in: aggregate)
            applyCases.append(["pattern": ".\(name)(\(Self.binding(apply)))", "lines": apply])
            if hasReverted(event) {
                let revert = revertLines(event, in: aggregate)
                applyCases.append(["pattern": ".\(reverted)(\(Self.binding(revert)))", "lines": revert])
            }
            if event.capturesAnything {
                let captured = event.capturedFields.map { "\(SwiftName.identifier($0.name)): \(SwiftName.identifier($0.name))" }
                    + event.removedLists.compactMap { list in
                        guard let op = event.operations?.first(where: { $0.kind == .remove && $0.target == list }) else { return nil }
                        return "\(list.name)Index: \(SwiftName.identifier(list.name)).firstIndex(of: \(expression(op.value, event: "event")))"
                    }
                captureCases.append([
                    "pattern": ".\(name)(var event)",
                    "lines": ["event.previous = \(event.name).Previous(\(captured.joined(separator: ", ")))", "return .\(name)(event)"],
                ])
            }
        }
        let swiftEvents = aggregate.events.filter { $0.operations == nil }
        return [
            "name": aggregate.name,
            "doc": Self.docLines(aggregate.doc),
            "idType": aggregate.idType.swift,
            "idIsUUID": aggregate.idType == .uuid,
            "idIsString": aggregate.idType == .string,
            "idIsInt": aggregate.idType == .int,
            "fingerprint": Fingerprint.of(aggregate),
            "requiresCreation": aggregate.commands.contains { $0.creates },
            "stateFields": aggregate.state.map(Self.field),
            "hasStateFields": !aggregate.state.isEmpty,
            "stateInitParameters": Self.parameters(aggregate.state),
            "applyCases": applyCases,
            "captureCases": captureCases,
            "hasCaptureCases": !captureCases.isEmpty,
            "events": aggregate.events.map { event(_: $0) },
            "eventCases": eventCases,
            "commands": aggregate.commands.map(command),
            "hasSwiftEvents": !swiftEvents.isEmpty,
            "swiftEvents": swiftEvents.map { ["name": $0.name, "aggregate": aggregate.name] },
        ]
    }

    private func hasReverted(_ event: Event) -> Bool {
        switch event.inverse {
        case .generated, .swift: return true
        case .named, .irreversible: return false
        }
    }

    private func inverseBinding(_ event: Event) -> String {
        if case .named(let other) = event.inverse, !(module.aggregate(named: event.aggregate)?.event(named: other)?.fields.isEmpty ?? true) { return "let event" }
        if hasReverted(event) { return "let event" }
        return "_"
    }

    private func inverseExpression(_ event: Event, in aggregate: Aggregate) -> String {
        switch event.inverse {
        case .named(let other):
            let fields = aggregate.event(named: other)?.fields ?? []
            let arguments = fields.map { "\(SwiftName.identifier($0.name)): event.\(SwiftName.identifier($0.name))" }.joined(separator: ", ")
            return ".\(Self.caseName(other))(\(other)(\(arguments)))"
        case .generated, .swift:
            return ".\(Self.caseName(event.name))Reverted(\(event.name).Reverted(original: event))"
        case .irreversible:
            return "nil"
        }
    }

    private func irreversibleReason(_ event: Event) -> String {
        if case .irreversible(let reason) = event.inverse { return SwiftLiteral.string(reason) }
        return "nil"
    }

    private func applyLines(_ event: Event, in aggregate: Aggregate) -> [String] {
        guard let operations = event.operations else { return ["Self.apply(event, to: &self)"] }
        let lines = operations.map { applyStatement($0, target: SwiftName.identifier($0.target.name)) }
        return lines.isEmpty ? ["break"] : lines
    }

    /// The Swift statement of an operation on `target` (a state field, or a view row's field).
    private func applyStatement(_ op: Operation, target: String) -> String {
        let value = expression(op.value, event: "event")
        switch op.kind {
        case .set: return "\(target) = \(value)"
        case .add: return "\(target) += \(value)"
        case .subtract: return "\(target) -= \(value)"
        case .append: return "\(target).append(\(value))"
        case .remove: return "if let index = \(target).firstIndex(of: \(value)) { \(target).remove(at: index) }"
        }
    }

    private func revertLines(_ event: Event, in aggregate: Aggregate) -> [String] {
        guard let operations = event.operations else { return ["Self.revert(event.original, to: &self)"] }
        // Undo in reverse order, from the original's values and what it captured.
        let lines = operations.reversed().map { op -> String in
            let target = SwiftName.identifier(op.target.name)
            let value = expression(op.value, event: "event.original")
            switch op.kind {
            case .set: return "\(target) = event.original.previous?.\(target) ?? \(op.target.defaultValue ?? "State().\(target)")"
            case .add: return "\(target) -= \(value)"
            case .subtract: return "\(target) += \(value)"
            case .append: return "if !\(target).isEmpty { \(target).removeLast() }"
            case .remove: return "if let index = event.original.previous?.\(op.target.name)Index { \(target).insert(\(value), at: min(index, \(target).count)) }"
            }
        }
        return lines.isEmpty ? ["break"] : lines
    }

    private func event(_ event: Event) -> [String: Any] {
        var captured = event.capturedFields.map(Self.field)
        captured += event.removedLists.map { ["name": "\($0.name)Index", "type": "Int?", "doc": [String](), "defaultValue": "nil"] as [String: Any] }
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
        return [
            "jsonEncode": eventCoding["jsonEncode"] ?? [],
            "jsonDecode": eventCoding["jsonDecode"] ?? [],
            "previousEncode": previousCoding["jsonEncode"] ?? [],
            "previousDecode": previousCoding["jsonDecode"] ?? [],
            "revertedEncode": revertedCoding["jsonEncode"] ?? [],
            "revertedDecode": revertedCoding["jsonDecode"] ?? [],
            "name": event.name,
            "typeName": event.typeName,
            "version": event.version,
            "doc": Self.docLines(event.doc),
            "fields": event.fields.map(Self.field),
            "initParameters": Self.parameters(event.fields),
            "captures": event.capturesAnything,
            "capturedFields": captured,
            "previousInitParameters": capturedParameters.joined(separator: ", "),
            "hasReverted": hasReverted(event),
        ]
    }

    // MARK: Commands

    private func command(_ command: Command) -> [String: Any] {
        let failure = command.errors.isEmpty ? "Never" : "\(command.aggregate).\(command.name)Error"
        var context: [String: Any] = [
            "name": command.name,
            "aggregate": command.aggregate,
            "module": module.name,
            "doc": Self.docLines(command.doc),
            "creates": command.creates,
            "fields": command.fields.map(Self.field),
            "initParameters": (["id: \(command.aggregate).ID"] + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }).joined(separator: ", "),
            "decideInSwift": command.decideInSwift,
            "failure": failure,
            "hasErrors": !command.errors.isEmpty,
            "errors": command.errors.map(SwiftName.identifier),
        ]
        if command.decideInSwift {
            let single = command.emits.count == 1
            let call = "rules.decide(self, state: state)"
            let prefix = command.errors.isEmpty ? "" : "try "
            context["decideBody"] = single ? "[.\(Self.caseName(command.emits[0]))(\(prefix)\(call))]" : "\(prefix)\(call)"
        } else {
            let aggregate = module.aggregate(named: command.aggregate)
            context["generatedEvents"] = command.emits.map { name in
                let fields = aggregate?.event(named: name)?.fields ?? []
                let arguments = fields.map { "\(SwiftName.identifier($0.name)): \(SwiftName.identifier($0.name))" }.joined(separator: ", ")
                return ".\(Self.caseName(name))(\(name)(\(arguments)))"
            }.joined(separator: ", ")
        }
        return context
    }

    /// The requirements of the module's rules protocol.
    func rules() -> [[String: Any]] {
        var rules: [[String: Any]] = []
        for aggregate in module.aggregates {
            for command in aggregate.commands where command.decideInSwift {
                let failure = command.errors.isEmpty ? "Never" : "\(aggregate.name).\(command.name)Error"
                let result = command.emits.count == 1 ? "\(aggregate.name).\(command.emits[0])" : "[\(aggregate.name).Event]"
                rules.append([
                    "summary": Self.docLines(command.doc).first.map { "Decides `\(aggregate.name).\(command.name)`: \($0)" } ?? "Decides `\(aggregate.name).\(command.name)`.",
                    "parameters": "_ command: \(aggregate.name).\(command.name), state: \(aggregate.name).State",
                    "failure": failure, "result": result,
                ])
            }
        }
        for command in module.commands {
            rules.append([
                "summary": Self.docLines(command.doc).first.map { "Decides `\(command.name)`: \($0)" } ?? "Decides `\(command.name)`.",
                "parameters": "_ command: \(command.name), " + command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).State" }.joined(separator: ", "),
                "failure": command.errors.isEmpty ? "Never" : "\(command.name)Error",
                "result": "\(command.name).Events",
            ])
        }
        return rules
    }

    /// The typed calls of the module's `Commands` type.
    func commandMethods() -> [[String: Any]] {
        var methods: [[String: Any]] = []
        for aggregate in module.aggregates {
            let label = SwiftName.lowerFirst(aggregate.name)
            for command in aggregate.commands {
                let parameters = ["\(SwiftName.identifier(label)): \(aggregate.name).ID"] + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }
                let arguments = ["id: \(SwiftName.identifier(label))"] + command.fields.map { "\(SwiftName.identifier($0.name)): \(SwiftName.identifier($0.name))" }
                methods.append([
                    "name": SwiftName.identifier(SwiftName.lowerFirst(command.name)),
                    "summary": Self.docLines(command.doc).first ?? "Runs `\(aggregate.name).\(command.name)`.",
                    "parameters": parameters.joined(separator: ", "),
                    "lines": ["try await processor.handle(\(aggregate.name).\(command.name)(\(arguments.joined(separator: ", "))), rules: rules, context: context)"],
                ])
            }
        }
        for command in module.commands {
            let parameters = command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).ID" } + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }
            let arguments = command.targets.map { "\($0.name): \(SwiftName.identifier($0.name))" } + command.fields.map { "\($0.name): \(SwiftName.identifier($0.name))" }
            var lines = [
                "let command = \(command.name)(\(arguments.joined(separator: ", ")))",
                "return try await processor.execute(commandName: \(command.name).commandName, payload: command, context: context) { [rules] transaction in",
            ]
            for target in command.targets {
                lines.append("    let \(target.name)State = try await transaction.load(\(target.aggregate).State.self, id: command.\(SwiftName.identifier(target.name)), requireExisting: \(target.aggregate).State.requiresCreation)")
            }
            // `try` only where the decision can fail: a Never-throwing call would warn.
            let decide = (command.errors.isEmpty ? "" : "try ") + "command.decide("
            lines.append("    let events = " + decide + command.targets.map { "\($0.name): \($0.name)State" }.joined(separator: ", ") + ", rules: rules)")
            for target in command.targets {
                let events = target.events.count == 1
                    ? "[.\(Self.caseName(target.events[0]))(events.\(SwiftName.identifier(target.name)))]"
                    : "events.\(SwiftName.identifier(target.name))"
                lines.append("    try transaction.record(\(events), on: command.\(SwiftName.identifier(target.name)), as: \(target.aggregate).State.self)")
            }
            lines.append("}")
            methods.append([
                "name": SwiftName.identifier(SwiftName.lowerFirst(command.name)),
                "summary": Self.docLines(command.doc).first ?? "Runs `\(command.name)`.",
                "parameters": parameters.joined(separator: ", "),
                "lines": lines,
            ])
        }
        return methods
    }

    func moduleCommand(_ command: ModuleCommand) -> [String: Any] {
        let targets: [[String: Any]] = command.targets.map { target in
            [
                "name": SwiftName.identifier(target.name), "aggregate": target.aggregate,
                "eventsType": target.events.count == 1 ? "\(target.aggregate).\(target.events[0])" : "[\(target.aggregate).Event]",
            ]
        }
        let targetParameters = command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).ID" }
        return [
            "name": command.name,
            "module": module.name,
            "doc": Self.docLines(command.doc),
            "targets": targets,
            "fields": command.fields.map(Self.field),
            "initParameters": (targetParameters + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }).joined(separator: ", "),
            "eventsInitParameters": targets.map { "\($0["name"] ?? ""): \($0["eventsType"] ?? "")" }.joined(separator: ", "),
            "targetLabels": command.targets.map { "\($0.name):" }.joined(),
            "decideParameters": command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).State" }.joined(separator: ", "),
            "decideArguments": command.targets.map { "\($0.name): \(SwiftName.identifier($0.name))" }.joined(separator: ", "),
            "failure": command.errors.isEmpty ? "Never" : "\(command.name)Error",
            "tryPrefix": command.errors.isEmpty ? "" : "try ",
            "hasErrors": !command.errors.isEmpty,
            "errors": command.errors.map(SwiftName.identifier),
        ]
    }

    // MARK: Views

    func view(_ view: View) -> [String: Any] {
        var applyCases: [[String: Any]] = []
        var undoCases: [[String: Any]] = []
        for handler in view.handlers {
            guard let aggregate = module.aggregate(named: handler.aggregate), let event = aggregate.event(named: handler.event) else { continue }
            let aggregateCase = Self.caseName(aggregate.name)
            let name = Self.caseName(event.name)
            let idBinding = view.key == nil ? "_" : "let id"
            let apply = wrap(handler.operations.map { viewApplyLine($0) }, keyed: view.key != nil, undo: false)
            let undo = wrap(handler.operations.reversed().map { viewUndoLine($0, event: event) }, keyed: view.key != nil, undo: true)
            applyCases.append(["pattern": ".\(aggregateCase)(\(idBinding), .\(name)(\(Self.binding(apply))))", "lines": apply])
            undoCases.append(["pattern": ".\(aggregateCase)(\(idBinding), .\(name)(\(Self.binding(undo))))", "lines": undo])
            if hasReverted(event) {
                // A generated inverse met without its view effect (e.g. projected by hand) undoes the original.
                applyCases.append(["pattern": ".\(aggregateCase)(let id, .\(name)Reverted(let event))", "lines": ["undo(.\(aggregateCase)(id, .\(name)(event.original)), context: context)"]])
                undoCases.append(["pattern": ".\(aggregateCase)(let id, .\(name)Reverted(let event))", "lines": ["apply(.\(aggregateCase)(id, .\(name)(event.original)), context: context)"]])
            }
        }
        let allCases = module.aggregates.reduce(0) { count, aggregate in
            count + aggregate.events.reduce(0) { $0 + (hasReverted($1) ? 2 : 1) }
        }
        return [
            "name": view.name,
            "module": module.name,
            "doc": Self.docLines(view.doc),
            "fingerprint": Fingerprint.of(view),
            "needsDefault": applyCases.count < allCases,
            "keyed": view.key != nil,
            "key": view.key ?? "",
            "fields": view.fields.map(Self.field),
            "index": view.index.map { ["name": SwiftName.identifier($0.name), "upperName": SwiftName.upperFirst($0.name), "type": $0.type.swift] },
            "applyCases": applyCases,
            "undoCases": undoCases,
        ]
    }

    /// A keyed view changes one row, through `update` (apply) or `revise` (undo).
    private func wrap(_ lines: [String], keyed: Bool, undo: Bool) -> [String] {
        guard keyed else { return lines.isEmpty ? ["break"] : lines }
        let body = lines.isEmpty ? ["    _ = row"] : lines.map { "    " + $0 }
        return ["\(undo ? "revise" : "update")(id) { row in"] + body + ["}"]
    }

    private func viewApplyLine(_ op: Operation) -> String {
        applyStatement(op, target: "row.\(SwiftName.identifier(op.target.name))")
    }

    private func viewUndoLine(_ op: Operation, event: Event) -> String {
        let target = "row.\(SwiftName.identifier(op.target.name))"
        let value = expression(op.value, event: "event")
        switch op.kind {
        case .set:
            // The checker allows `set` in views only where the previous value is known.
            if !event.isCreating, let mirrored = event.operations?.first(where: { $0.kind == .set && $0.value == op.value }) {
                return "\(target) = event.previous?.\(SwiftName.identifier(mirrored.target.name)) ?? \(op.target.defaultValue ?? "Row().\(op.target.name)")"
            }
            return "\(target) = \(op.target.defaultValue ?? value)"
        case .add: return "\(target) -= \(value)"
        case .subtract: return "\(target) += \(value)"
        case .append: return "if !\(target).isEmpty { \(target).removeLast() }"
        case .remove: return "_ = \(value)"
        }
    }
}

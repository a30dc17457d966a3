import Foundation

/// Checking commands: on one aggregate, and on several.
extension SchemaChecker {
    mutating func checkCommand(_ syntax: CommandSyntax, aggregate: Aggregate) -> Command? {
        let fields = checkFields(syntax.fields, of: "command \(syntax.name.value)", defaults: .forbidden)
        if let clash = syntax.fields.first(where: { $0.name.value == SwiftName.lowerFirst(aggregate.name) }) {
            diagnostics.error("command field '\(clash.name.value)' has the name the generated call gives the \(aggregate.name)'s id", at: clash.name.location, hint: "rename the field")
        }
        if let clash = syntax.fields.first(where: { $0.name.value == "context" }) {
            diagnostics.error("command field name 'context' is taken by the generated call's CommandContext", at: clash.name.location, hint: "rename the field")
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
                        // A field whose type did not resolve was reported already.
                        if unresolvedFields.contains(field.name) { continue }
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

    mutating func checkErrorNames(_ names: [Located<String>]) -> [String] {
        var seen = Set<String>()
        return names.compactMap { name in
            guard SwiftName.isValidIdentifier(name.value), name.value.first?.isLowercase == true else {
                diagnostics.error("error name '\(name.value)' must start with a lowercase letter, e.g. insufficientFunds", at: name.location)
                return nil
            }
            guard checkReservedMember(name, "error name") else { return nil }
            guard seen.insert(name.value).inserted else {
                diagnostics.error("duplicate error '\(name.value)'", at: name.location)
                return nil
            }
            return name.value
        }
    }

    mutating func checkModuleCommand(_ syntax: CommandSyntax, file: String) -> ModuleCommand? {
        let fields = checkFields(syntax.fields, of: "command \(syntax.name.value)", defaults: .forbidden)
        for clash in syntax.fields where ["context", "command"].contains(clash.name.value) {
            diagnostics.error("command field name '\(clash.name.value)' is taken by the generated call", at: clash.name.location, hint: "rename the field")
        }
        var targets: [(name: String, aggregate: String, events: [String])] = []
        for (name, aggregateName) in syntax.targets {
            guard SwiftName.isValidIdentifier(name.value), name.value.first?.isLowercase == true else {
                diagnostics.error("target name '\(name.value)' must start with a lowercase letter", at: name.location)
                continue
            }
            guard checkReservedMember(name, "target name") else { continue }
            if ["context", "command"].contains(name.value) {
                diagnostics.error("target name '\(name.value)' is taken by the generated call", at: name.location, hint: "rename the target")
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
    mutating func markCreatingEvents() {
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
}

/// Rendering commands, the rules protocol and the typed command calls.
extension RenderContext {
    func command(_ command: Command) -> CommandModel {
        var decideBody = "", generatedEvents = ""
        if command.decideInSwift {
            let single = command.emits.count == 1
            let call = "rules.decide(self, state: state)"
            let prefix = command.errors.isEmpty ? "" : "try "
            decideBody = single ? "[.\(Self.caseName(command.emits[0]))(\(prefix)\(call))]" : "\(prefix)\(call)"
        } else {
            let aggregate = module.aggregate(named: command.aggregate)
            generatedEvents = command.emits.map { name in
                let fields = aggregate?.event(named: name)?.fields ?? []
                // Through `self.`: `state` and `rules` are also the names of decide's parameters.
                let arguments = fields.map { "\(SwiftName.label($0.name)): self.\(SwiftName.identifier($0.name))" }.joined(separator: ", ")
                return ".\(Self.caseName(name))(\(name)(\(arguments)))"
            }.joined(separator: ", ")
        }
        return CommandModel(
            name: command.name,
            aggregate: command.aggregate,
            module: module.name,
            doc: Self.docLines(command.doc),
            creates: command.creates,
            fields: command.fields.map(Self.field),
            initParameters: (["id: \(command.aggregate).ID"] + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }).joined(separator: ", "),
            decideInSwift: command.decideInSwift,
            decideBody: decideBody,
            generatedEvents: generatedEvents,
            failure: command.errors.isEmpty ? "Never" : "\(command.aggregate).\(command.name)Error",
            hasErrors: !command.errors.isEmpty,
            errors: command.errors.map(SwiftName.identifier)
        )
    }

    /// The requirements of the module's rules protocol.
    func rules() -> [RuleModel] {
        var rules: [RuleModel] = []
        for aggregate in module.aggregates {
            for command in aggregate.commands where command.decideInSwift {
                let failure = command.errors.isEmpty ? "Never" : "\(aggregate.name).\(command.name)Error"
                let result = command.emits.count == 1 ? "\(aggregate.name).\(command.emits[0])" : "[\(aggregate.name).Event]"
                rules.append(RuleModel(
                    summary: Self.docLines(command.doc).first.map { "Decides `\(aggregate.name).\(command.name)`: \($0)" } ?? "Decides `\(aggregate.name).\(command.name)`.",
                    parameters: "_ command: \(aggregate.name).\(command.name), state: \(aggregate.name).State",
                    failure: failure, result: result
                ))
            }
        }
        for command in module.commands {
            rules.append(RuleModel(
                summary: Self.docLines(command.doc).first.map { "Decides `\(command.name)`: \($0)" } ?? "Decides `\(command.name)`.",
                parameters: "_ command: \(command.name), " + command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).State" }.joined(separator: ", "),
                failure: command.errors.isEmpty ? "Never" : "\(command.name)Error",
                result: "\(command.name).Events"
            ))
        }
        return rules
    }

    /// The typed calls of the module's `Commands` type.
    func commandMethods() -> [CommandMethodModel] {
        var methods: [CommandMethodModel] = []
        for aggregate in module.aggregates {
            let label = SwiftName.lowerFirst(aggregate.name)
            for command in aggregate.commands {
                let parameters = ["\(SwiftName.identifier(label)): \(aggregate.name).ID"] + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }
                let arguments = ["id: \(SwiftName.identifier(label))"] + command.fields.map { "\(SwiftName.label($0.name)): \(SwiftName.identifier($0.name))" }
                methods.append(CommandMethodModel(
                    name: SwiftName.identifier(SwiftName.lowerFirst(command.name)),
                    summary: Self.docLines(command.doc).first ?? "Runs `\(aggregate.name).\(command.name)`.",
                    parameters: parameters.joined(separator: ", "),
                    lines: ["try await self.processor.handle(\(aggregate.name).\(command.name)(\(arguments.joined(separator: ", "))), rules: self.rules, context: context)"]
                ))
            }
        }
        for command in module.commands {
            let parameters = command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).ID" } + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }
            let arguments = command.targets.map { "\(SwiftName.label($0.name)): \(SwiftName.identifier($0.name))" } + command.fields.map { "\(SwiftName.label($0.name)): \(SwiftName.identifier($0.name))" }
            var lines = [
                "let command = \(command.name)(\(arguments.joined(separator: ", ")))",
                "return try await self.processor.execute(commandName: \(command.name).commandName, payload: command, context: context) { [rules = self.rules] transaction in",
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
            methods.append(CommandMethodModel(
                name: SwiftName.identifier(SwiftName.lowerFirst(command.name)),
                summary: Self.docLines(command.doc).first ?? "Runs `\(command.name)`.",
                parameters: parameters.joined(separator: ", "),
                lines: lines
            ))
        }
        return methods
    }

    func moduleCommand(_ command: ModuleCommand) -> ModuleCommandModel {
        let targets = command.targets.map { target in
            TargetModel(
                name: SwiftName.identifier(target.name), aggregate: target.aggregate,
                eventsType: target.events.count == 1 ? "\(target.aggregate).\(target.events[0])" : "[\(target.aggregate).Event]"
            )
        }
        let targetParameters = command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).ID" }
        return ModuleCommandModel(
            name: command.name,
            module: module.name,
            doc: Self.docLines(command.doc),
            targets: targets,
            fields: command.fields.map(Self.field),
            initParameters: (targetParameters + command.fields.map { "\(SwiftName.identifier($0.name)): \($0.type.swift)" }).joined(separator: ", "),
            eventsInitParameters: targets.map { "\($0.name): \($0.eventsType)" }.joined(separator: ", "),
            targetLabels: command.targets.map { "\($0.name):" }.joined(),
            decideParameters: command.targets.map { "\(SwiftName.identifier($0.name)): \($0.aggregate).State" }.joined(separator: ", "),
            decideArguments: command.targets.map { "\(SwiftName.label($0.name)): \(SwiftName.identifier($0.name))" }.joined(separator: ", "),
            failure: command.errors.isEmpty ? "Never" : "\(command.name)Error",
            tryPrefix: command.errors.isEmpty ? "" : "try ",
            hasErrors: !command.errors.isEmpty,
            errors: command.errors.map(SwiftName.identifier)
        )
    }
}

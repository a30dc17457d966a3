import Foundation

/// Reads the shape of a schema file: known keys, the right kinds of nodes. Meaning (types,
/// names, operations) is checked later by ``SchemaChecker``.
struct SchemaParser {
    private(set) var diagnostics = Diagnostics()

    static let operationKinds = ["set", "add", "subtract", "append", "remove"]

    mutating func parse(_ root: YAMLNode, file: String) -> SchemaSyntax {
        var schema = SchemaSyntax(file: file)
        guard let pairs = mapping(root, "the schema") else { return schema }
        var sawVersion = false
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "chronicle":
                sawVersion = true
                if value.scalar != "1" {
                    diagnostics.error("unsupported schema language version '\(value.scalar ?? value.kindName)'", at: value.location, hint: "this generator reads 'chronicle: 1'")
                }
            case "doc": schema.doc = text(value, "doc")
            case "types": schema.types = entries(value, "types").compactMap { parseType($0, $1) }
            case "aggregates": schema.aggregates = entries(value, "aggregates").compactMap { parseAggregate($0, $1) }
            case "commands": schema.commands = entries(value, "commands").compactMap { parseCommand($0, $1, moduleLevel: true) }
            case "views": schema.views = entries(value, "views").compactMap { parseView($0, $1) }
            default: unknownKey(key, among: ["chronicle", "doc", "types", "aggregates", "commands", "views"])
            }
        }
        if !sawVersion {
            diagnostics.error("the schema does not say its language version", at: root.location, hint: "add 'chronicle: 1' at the top")
        }
        return schema
    }

    // MARK: Pieces

    private mutating func parseType(_ name: Located<String>, _ node: YAMLNode) -> TypeSyntax? {
        guard let pairs = mapping(node, "type '\(name.value)'") else { return nil }
        var kind: TypeSyntax.Kind?
        var doc: String?
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "alias": if let type = typeExpression(value) { kind = .alias(type) }
            case "enum":
                guard let items = value.items else {
                    diagnostics.error("'enum' takes a list of cases, e.g. [open, closed]", at: value.location)
                    continue
                }
                kind = .enumeration(items.compactMap { item in
                    guard let text = item.scalar else {
                        diagnostics.error("an enum case must be a name", at: item.location)
                        return nil
                    }
                    return Located(value: text, location: item.location)
                })
            case "struct": kind = .structure(fields(value, "struct '\(name.value)'"))
            case "doc": doc = text(value, "doc")
            default: unknownKey(key, among: ["alias", "enum", "struct", "doc"])
            }
        }
        guard let kind else {
            diagnostics.error("type '\(name.value)' needs 'alias', 'enum' or 'struct'", at: name.location)
            return nil
        }
        return TypeSyntax(name: name, kind: kind, doc: doc)
    }

    private mutating func parseAggregate(_ name: Located<String>, _ node: YAMLNode) -> AggregateSyntax? {
        guard let pairs = mapping(node, "aggregate '\(name.value)'") else { return nil }
        var aggregate = AggregateSyntax(name: name)
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "doc": aggregate.doc = text(value, "doc")
            case "id": aggregate.id = value.scalar.map { Located(value: $0, location: value.location) }
            case "revision":
                guard !value.isQuoted, let text = value.scalar, let revision = Int(text), revision >= 1 else {
                    diagnostics.error("'revision' must be a whole number from 1", at: value.location, hint: "raise it when the Swift that applies this aggregate's events changes")
                    continue
                }
                aggregate.revision = Located(value: revision, location: value.location)
            case "state": aggregate.state = fields(value, "state")
            case "events": aggregate.events = entries(value, "events").compactMap { parseEvent($0, $1) }
            case "commands": aggregate.commands = entries(value, "commands").compactMap { parseCommand($0, $1, moduleLevel: false) }
            default: unknownKey(key, among: ["doc", "id", "revision", "state", "events", "commands"])
            }
        }
        return aggregate
    }

    private mutating func parseEvent(_ name: Located<String>, _ node: YAMLNode) -> EventSyntax? {
        var event = EventSyntax(name: name)
        if node.isNull { return event }  // `Closed:` with nothing
        guard let pairs = mapping(node, "event '\(name.value)'") else { return nil }
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "doc": event.doc = text(value, "doc")
            case "version":
                guard let text = value.scalar, let version = Int(text), version >= 1 else {
                    diagnostics.error("'version' must be a whole number from 1", at: value.location)
                    continue
                }
                event.version = Located(value: version, location: value.location)
            case "fields": event.fields = fields(value, "fields")
            case "apply":
                event.applyLocation = value.location
                if value.scalar == "swift" {
                    event.operations = nil
                } else {
                    event.operations = operations(value, "apply")
                }
            case "inverse": event.inverse = value.scalar.map { Located(value: $0, location: value.location) }
            case "irreversible":
                guard let reason = value.scalar, !reason.isEmpty else {
                    diagnostics.error("'irreversible' takes the reason the event cannot be undone", at: value.location)
                    continue
                }
                event.irreversible = Located(value: reason, location: value.location)
            case "formerly": event.formerly = names(value, "formerly")
            case "upcast": event.upcast = upcast(value)
            default: unknownKey(key, among: ["doc", "version", "fields", "apply", "inverse", "irreversible", "formerly", "upcast"])
            }
        }
        return event
    }

    private mutating func parseCommand(_ name: Located<String>, _ node: YAMLNode, moduleLevel: Bool) -> CommandSyntax? {
        var command = CommandSyntax(name: name)
        guard let pairs = mapping(node, "command '\(name.value)'") else { return nil }
        let known = moduleLevel
            ? ["doc", "fields", "targets", "emits", "errors", "decide"]
            : ["doc", "fields", "creates", "emits", "errors", "decide"]
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "doc": command.doc = text(value, "doc")
            case "fields": command.fields = fields(value, "fields")
            case "creates" where !moduleLevel:
                guard let flag = boolean(value) else {
                    diagnostics.error("'creates' is true or false", at: value.location)
                    continue
                }
                command.creates = Located(value: flag, location: value.location)
            case "targets" where moduleLevel:
                command.targets = entries(value, "targets").compactMap { target, aggregate in
                    guard let name = aggregate.scalar else {
                        diagnostics.error("a target names an aggregate, e.g. 'from: Account'", at: aggregate.location)
                        return nil
                    }
                    return (target, Located(value: name, location: aggregate.location))
                }
            case "emits" where moduleLevel:
                command.emitsByTarget = entries(value, "emits").map { target, events in (target, names(events, "emits")) }
            case "emits": command.emits = names(value, "emits")
            case "errors": command.errors = names(value, "errors")
            case "decide":
                if value.scalar != "swift" {
                    diagnostics.error("'decide' can only be 'swift'", at: value.location, hint: "leave it out to let the generator decide")
                }
                command.decideSwift = Located(value: true, location: value.location)
            default: unknownKey(key, among: known)
            }
        }
        return command
    }

    private mutating func parseView(_ name: Located<String>, _ node: YAMLNode) -> ViewSyntax? {
        var view = ViewSyntax(name: name)
        guard let pairs = mapping(node, "view '\(name.value)'") else { return nil }
        for (key, value) in pairs {
            switch key.scalar ?? "" {
            case "doc": view.doc = text(value, "doc")
            case "key": view.key = value.scalar.map { Located(value: $0, location: value.location) }
            case "fields": view.fields = fields(value, "fields")
            case "index": view.index = names(value, "index")
            case "on":
                view.handlers = entries(value, "on").map { event, handler in (event, operations(handler, "the handler of \(event.value)")) }
            default: unknownKey(key, among: ["doc", "key", "fields", "index", "on"])
            }
        }
        return view
    }

    /// `upcast: swift`, or `upcast: { 1: { renamed: {…}, added: {…}, removed: […], cases: {…} }, 2: … }`.
    private mutating func upcast(_ node: YAMLNode) -> UpcastSyntax? {
        if node.scalar == "swift" { return .swift(node.location) }
        guard let pairs = node.pairs else {
            diagnostics.error("'upcast' is 'swift' or a mapping from each earlier version to its changes", at: node.location,
                              hint: "e.g. upcast: { 1: { added: { currency: \"EUR\" } } }")
            return nil
        }
        var steps: [UpcastStepSyntax] = []
        for (key, value) in pairs {
            guard !key.isQuoted, let text = key.scalar, let version = Int(text), version >= 1 else {
                diagnostics.error("an upcast step is keyed by the version it reads, a whole number from 1", at: key.location)
                continue
            }
            var step = UpcastStepSyntax(from: Located(value: version, location: key.location))
            if value.isNull {
                steps.append(step)
                continue
            }
            guard let changes = mapping(value, "the upcast from version \(version)") else { continue }
            for (kind, spec) in changes {
                switch kind.scalar ?? "" {
                case "removed": step.removed += names(spec, "removed")
                case "renamed":
                    for (old, new) in entries(spec, "renamed") {
                        guard let name = new.scalar, !name.isEmpty else {
                            diagnostics.error("'renamed' maps an old field name to its new name, e.g. { name: owner }", at: new.location)
                            continue
                        }
                        step.renamed.append((old, Located(value: name, location: new.location)))
                    }
                case "added": step.added += entries(spec, "added").map { (field: $0, value: $1) }
                case "cases":
                    for (field, mapping) in entries(spec, "cases") {
                        let renames: [(from: Located<String>, to: Located<String>)] = entries(mapping, "cases of '\(field.value)'").compactMap { old, new in
                            guard let name = new.scalar, !name.isEmpty else {
                                diagnostics.error("'cases' maps an old case to its new name, e.g. { active: open }", at: new.location)
                                return nil
                            }
                            return (old, Located(value: name, location: new.location))
                        }
                        step.cases.append((field, renames))
                    }
                default: unknownKey(kind, among: ["removed", "renamed", "added", "cases"])
                }
            }
            steps.append(step)
        }
        return .steps(steps, node.location)
    }

    // MARK: Building blocks

    private mutating func operations(_ node: YAMLNode, _ what: String) -> [OperationSyntax] {
        if node.scalar == "swift" {
            diagnostics.error("Swift handlers are not supported in views", at: node.location, hint: "use set, add, subtract and append")
            return []
        }
        guard let pairs = mapping(node, what) else { return [] }
        var result: [OperationSyntax] = []
        for (key, value) in pairs {
            guard let kind = key.scalar, SchemaParser.operationKinds.contains(kind) else {
                unknownKey(key, among: SchemaParser.operationKinds)
                continue
            }
            for (target, source) in entries(value, kind) {
                result.append(OperationSyntax(kind: Located(value: kind, location: key.location), target: target, value: source))
            }
        }
        return result
    }

    private mutating func fields(_ node: YAMLNode, _ what: String) -> [FieldSyntax] {
        if node.isNull { return [] }
        return entries(node, what).compactMap { name, spec in
            if spec.scalar != nil || spec.items != nil {
                return typeExpression(spec).map { FieldSyntax(name: name, type: $0) }
            }
            guard let pairs = mapping(spec, "field '\(name.value)'") else { return nil }
            var field: FieldSyntax?
            var defaultValue: YAMLNode?
            var doc: String?
            for (key, value) in pairs {
                switch key.scalar ?? "" {
                case "type": field = typeExpression(value).map { FieldSyntax(name: name, type: $0) }
                case "default": defaultValue = value
                case "doc": doc = text(value, "doc")
                default: unknownKey(key, among: ["type", "default", "doc"])
                }
            }
            guard var field else {
                diagnostics.error("field '\(name.value)' needs a 'type'", at: name.location)
                return nil
            }
            field.defaultValue = defaultValue
            field.doc = doc
            return field
        }
    }

    /// `Name`, `Name?`, `"[Name]"`, or the flow list `[Name]`.
    private mutating func typeExpression(_ node: YAMLNode) -> Located<TypeExpression>? {
        if let text = node.scalar, !text.isEmpty {
            return Located(value: TypeExpression(parsing: text), location: node.location)
        }
        if let items = node.items, items.count == 1, let element = items[0].scalar {
            return Located(value: TypeExpression(name: element, isList: true), location: items[0].location)
        }
        diagnostics.error("expected a type, such as String, Money?, or [Entry]", at: node.location)
        return nil
    }

    private mutating func names(_ node: YAMLNode, _ what: String) -> [Located<String>] {
        if let text = node.scalar, !text.isEmpty { return [Located(value: text, location: node.location)] }
        guard let items = node.items else {
            diagnostics.error("'\(what)' takes a list of names", at: node.location)
            return []
        }
        return items.compactMap { item in
            guard let text = item.scalar else {
                diagnostics.error("expected a name", at: item.location)
                return nil
            }
            return Located(value: text, location: item.location)
        }
    }

    private mutating func entries(_ node: YAMLNode, _ what: String) -> [(Located<String>, YAMLNode)] {
        if node.isNull { return [] }
        guard let pairs = mapping(node, "'\(what)'") else { return [] }
        return pairs.compactMap { key, value in
            guard let name = key.scalar, !name.isEmpty else {
                diagnostics.error("expected a name", at: key.location)
                return nil
            }
            return (Located(value: name, location: key.location), value)
        }
    }

    private mutating func mapping(_ node: YAMLNode, _ what: String) -> [(key: YAMLNode, value: YAMLNode)]? {
        guard let pairs = node.pairs else {
            diagnostics.error("\(what) must be a mapping, not \(node.kindName)", at: node.location)
            return nil
        }
        return pairs
    }

    private mutating func text(_ node: YAMLNode, _ what: String) -> String? {
        guard let text = node.scalar else {
            diagnostics.error("'\(what)' takes text", at: node.location)
            return nil
        }
        return text
    }

    private func boolean(_ node: YAMLNode) -> Bool? {
        // YAML 1.2's booleans only: `yes`, `no`, `on` and `off` are text.
        guard !node.isQuoted else { return nil }
        switch node.scalar {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    private mutating func unknownKey(_ key: YAMLNode, among known: [String]) {
        let name = key.scalar ?? key.kindName
        diagnostics.error("unknown key '\(name)'", at: key.location, hint: Suggestion.hint(for: name, among: known) ?? "expected one of: \(known.joined(separator: ", "))")
    }
}

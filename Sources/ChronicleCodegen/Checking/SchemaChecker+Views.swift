import Foundation

/// Checking views: keys, fields, indexes, handlers, and whether each handler can be undone.
extension SchemaChecker {
    mutating func checkView(_ syntax: ViewSyntax, file: String) -> View {
        let errorsBefore = diagnostics.errorCount
        defer { if diagnostics.errorCount > errorsBefore { incomplete.insert(syntax.name.value) } }
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
        // Whether a handler can be undone depends on the key and every field: when one of them
        // failed, that check would only repeat the mistake.
        let judgesUndo = diagnostics.errorCount == errorsBefore
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
            guard judgesUndo, checked.count == operations.count, !incomplete.contains(aggregate.name) else { continue }
            checkUndoable(view: syntax.name.value, keyed: key != nil, event: event, aggregate: aggregate, operations: checked,
                          allHandlers: syntax.handlers, fields: fields, at: eventName.location, ops: operations)
        }
        if syntax.handlers.isEmpty { diagnostics.warning("view \(syntax.name.value) handles no events", at: syntax.name.location) }
        return View(name: syntax.name.value, doc: syntax.doc, key: key, fields: fields, index: index, handlers: handlers, file: file)
    }

    /// A view's `set` can be undone only when the previous value is known: the row did not exist
    /// before a creating event, or the view mirrors a state field whose previous value the event
    /// captures.
    mutating func checkUndoable(
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

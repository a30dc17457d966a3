/// Rendering views: rows, indexes, projection and undo code.
extension RenderContext {
    func view(_ view: View) -> ViewModel {
        var applyCases: [SwitchCaseModel] = []
        var undoCases: [SwitchCaseModel] = []
        for handler in view.handlers {
            guard let aggregate = module.aggregate(named: handler.aggregate), let event = aggregate.event(named: handler.event) else { continue }
            let aggregateCase = Self.caseName(aggregate.name)
            let name = Self.caseName(event.name)
            let idBinding = view.key == nil ? "_" : "let id"
            let apply = wrap(handler.operations.map { viewApplyLine($0, view: view) }, keyed: view.key != nil, undo: false)
            let undo = wrap(handler.operations.reversed().map { viewUndoLine($0, event: event, view: view) }, keyed: view.key != nil, undo: true)
            applyCases.append(SwitchCaseModel(pattern: ".\(aggregateCase)(\(idBinding), .\(name)(\(Self.binding(apply))))", lines: apply))
            undoCases.append(SwitchCaseModel(pattern: ".\(aggregateCase)(\(idBinding), .\(name)(\(Self.binding(undo))))", lines: undo))
            if hasReverted(event) {
                // A generated inverse met without its view effect (e.g. projected by hand) undoes the original.
                applyCases.append(SwitchCaseModel(pattern: ".\(aggregateCase)(let id, .\(name)Reverted(let event))", lines: ["try undo(.\(aggregateCase)(id, .\(name)(event.original)), context: context)"]))
                undoCases.append(SwitchCaseModel(pattern: ".\(aggregateCase)(let id, .\(name)Reverted(let event))", lines: ["try apply(.\(aggregateCase)(id, .\(name)(event.original)), context: context)"]))
            }
        }
        let allCases = module.aggregates.reduce(0) { count, aggregate in
            count + aggregate.events.reduce(0) { $0 + (hasReverted($1) ? 2 : 1) }
        }
        return ViewModel(
            name: view.name,
            module: module.name,
            doc: Self.docLines(view.doc),
            fingerprint: fingerprints.of(view),
            needsDefault: applyCases.count < allCases,
            keyed: view.key != nil,
            key: view.key ?? "",
            fields: view.fields.map(Self.field),
            index: view.index.map { IndexModel(name: SwiftName.identifier($0.name), upperName: SwiftName.upperFirst($0.name), type: $0.type.swift) },
            indexedFieldsLiteral: "[" + view.index.map { SwiftLiteral.string($0.name) }.joined(separator: ", ") + "]",
            applyCases: applyCases,
            undoCases: undoCases
        )
    }

    /// A keyed view changes one row, through `update` (apply) or `revise` (undo); a view with a
    /// single row changes a copy of it. Either way the view changes only if every operation
    /// succeeds (arithmetic is checked).
    func wrap(_ lines: [String], keyed: Bool, undo: Bool) -> [String] {
        guard keyed else { return lines.isEmpty ? ["break"] : ["var row = self.row"] + lines + ["self.row = row"] }
        let body = lines.isEmpty ? ["    _ = row"] : lines.map { "    " + $0 }
        return ["try \(undo ? "revise" : "update")(id) { row in"] + body + ["}"]
    }

    /// For each event of the module (and its generated inverse): what it changes in its own
    /// stream (its state, and the rows of keyed views, which are its aggregate's) and in views
    /// with a single row, which every stream shares. View fields are named `View.field`.
    func moduleEventChanges() -> [EventChangeModel] {
        var result: [EventChangeModel] = []
        for aggregate in module.aggregates {
            let aggregateCase = Self.caseName(aggregate.name)
            for event in aggregate.events {
                var own = stateChanges(of: event, in: aggregate)
                var shared: [(field: String, kind: OperationKind)] = []
                var keyed: [(field: String, kind: OperationKind)] = []
                for view in module.views {
                    for handler in view.handlers where handler.aggregate == aggregate.name && handler.event == event.name {
                        let changes = handler.operations.map { ("\(view.name).\($0.target.name)", $0.kind) }
                        if view.key == nil { shared += changes } else { keyed += changes }
                    }
                }
                let keyedChanges = Self.changes(of: keyed)
                own.ordered.formUnion(keyedChanges.ordered)
                own.additive = own.additive.union(keyedChanges.additive).subtracting(own.ordered)
                let name = Self.caseName(event.name)
                var patterns = [".\(aggregateCase)(_, .\(name))"]
                if hasReverted(event) { patterns.append(".\(aggregateCase)(_, .\(name)Reverted)") }
                result.append(EventChangeModel(
                    pattern: patterns.joined(separator: ", "),
                    changes: Self.fieldChanges(own),
                    shared: Self.fieldChanges(Self.changes(of: shared))
                ))
            }
        }
        return result
    }

    func viewApplyLine(_ op: Operation, view: View) -> String {
        applyStatement(op, target: "row.\(SwiftName.identifier(op.target.name))", label: "\(view.name).\(op.target.name)")
    }

    func viewUndoLine(_ op: Operation, event: Event, view: View) -> String {
        let target = "row.\(SwiftName.identifier(op.target.name))"
        let value = expression(op.value, event: "event")
        switch op.kind {
        case .set:
            // The checker allows `set` in views only where the previous value is known.
            if !event.isCreating, let mirrored = event.operations?.first(where: { $0.kind == .set && $0.value == op.value }) {
                return "\(target) = event.previous?.\(SwiftName.identifier(mirrored.target.name)) ?? \(op.target.defaultValue ?? "Row().\(op.target.name)")"
            }
            return "\(target) = \(op.target.defaultValue ?? value)"
        case .add: return Self.checked("subtract", target, value, "\(view.name).\(op.target.name)")
        case .subtract: return Self.checked("add", target, value, "\(view.name).\(op.target.name)")
        case .append: return "if let index = \(target).lastIndex(of: \(value)) { \(target).remove(at: index) }"
        case .remove: return "_ = \(value)"
        }
    }
}

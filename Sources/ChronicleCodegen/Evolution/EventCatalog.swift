/// What a module's schemas say about reading stored events, as plain data: each event's stored
/// names, version, payload shape and upcasts. Tools that have the schemas but not the generated
/// code (`chronicle can-read`, `chronicle cat --schema`) read logs with it.
public struct EventCatalog: Sendable {
    /// One event type.
    public struct Entry: Sendable {
        /// The aggregate, whose streams are named `Aggregate-ID`.
        public var aggregate: String
        /// The shape of the aggregate's id (`UUID`, `String` or `Int`).
        public var id: TypeShape
        /// The name it is stored under now, `Account.MessageSent`.
        public var typeName: String
        /// Names it was stored under before.
        public var formerTypeNames: [String]
        /// The current version.
        public var version: Int
        /// The current payload's fields.
        public var fields: [String: TypeShape]
        /// How earlier versions are read.
        public var upcast: UpcastRule
        /// Whether a generated inverse (`.Reverted`, holding the event as `original`) exists.
        public var hasGeneratedInverse: Bool
    }

    /// How an event reads payloads of earlier versions.
    public enum UpcastRule: Sendable {
        /// Version 1: there are none.
        case none
        /// Swift code in the application, which a tool without it cannot run.
        case swift
        /// Declarative steps.
        case steps([Step])
    }

    /// How a payload of version `from` becomes one of `from + 1`.
    public struct Step: Sendable {
        /// The version read.
        public var from: Int
        /// The changes, in the order they apply.
        public var changes: [Change]
    }

    /// One change of a step (see the runtime's `PayloadUpcast`).
    public enum Change: Sendable {
        case removed(field: String)
        case renamed(from: String, to: String)
        /// The field and its value as JSON text.
        case added(field: String, json: String)
        /// `field` may be a path, `previous.tier`.
        case cases(field: String, mapping: [String: String])
    }

    /// The event types, in schema order.
    public var entries: [Entry]

    /// The entry for a stored type name, and whether it names the generated inverse.
    public func entry(storedAs name: String) -> (entry: Entry, isInverse: Bool)? {
        for entry in entries {
            let names = [entry.typeName] + entry.formerTypeNames
            if names.contains(name) { return (entry, false) }
            if entry.hasGeneratedInverse, names.contains(where: { $0 + ".Reverted" == name }) { return (entry, true) }
        }
        return nil
    }

    static func of(_ module: Module) -> EventCatalog {
        var entries: [Entry] = []
        for aggregate in module.aggregates {
            for event in aggregate.events {
                let rule: UpcastRule
                switch event.upcast {
                case .none: rule = .none
                case .swift: rule = .swift
                case .steps(let steps):
                    rule = .steps(steps.map { step in
                        Step(from: step.from, changes: step.changes.map { change in
                            switch change {
                            case .removed(let field): return .removed(field: field)
                            case .renamed(let old, let new): return .renamed(from: old, to: new)
                            case .added(let field, _, let text): return .added(field: field, json: text)
                            case .cases(let field, let mapping):
                                return .cases(field: field, mapping: Dictionary(mapping.map { ($0.from, $0.to) }, uniquingKeysWith: { first, _ in first }))
                            }
                        })
                    })
                }
                let hasReverted: Bool
                switch event.inverse {
                case .generated, .swift: hasReverted = true
                case .named, .irreversible: hasReverted = false
                }
                entries.append(Entry(
                    aggregate: aggregate.name, id: SchemaLock.shape(aggregate.idType, module: module), typeName: event.typeName,
                    formerTypeNames: event.formerNames.map { "\(aggregate.name).\($0)" }, version: event.version,
                    fields: SchemaLock.payloadShape(of: event, in: aggregate, module: module), upcast: rule, hasGeneratedInverse: hasReverted))
            }
        }
        return EventCatalog(entries: entries)
    }
}

extension Generator {
    /// The catalog of the module's events, or the schemas' problems.
    public func catalog(_ sources: [SchemaSource]) -> (catalog: EventCatalog?, diagnostics: [Diagnostic]) {
        fromCheckedModule(sources, checkingLocks: false) { module in EventCatalog.of(module) }
    }
}

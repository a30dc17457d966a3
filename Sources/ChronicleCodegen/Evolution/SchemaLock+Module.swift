/// Building locks from a checked module.
extension SchemaLock {
    /// The lock of one schema file of `module`: the events of the aggregates it declares.
    static func of(_ module: Module, file: String, schemaName: String) -> SchemaLock {
        var events: [String: LockedEvent] = [:]
        for aggregate in module.aggregates where aggregate.file == file {
            for event in aggregate.events {
                events[event.typeName] = LockedEvent(
                    version: event.version,
                    fields: payloadShape(of: event, in: aggregate, module: module),
                    formerly: event.formerNames.isEmpty ? nil : event.formerNames.map { "\(aggregate.name).\($0)" },
                    inverse: inverseKind(event)
                )
            }
        }
        return SchemaLock(schema: schemaName, events: events)
    }

    static func inverseKind(_ event: Event) -> String {
        switch event.inverse {
        case .generated: return "generated"
        case .swift: return "swift"
        case .named(let other): return "named:\(other)"
        case .irreversible: return "irreversible"
        }
    }

    /// The payload's fields as stored: the event's own, and `previous` when it captures.
    static func payloadShape(of event: Event, in aggregate: Aggregate, module: Module) -> [String: TypeShape] {
        var fields: [String: TypeShape] = [:]
        for field in event.fields { fields[field.name] = shape(field.type, module: module) }
        if event.capturesAnything {
            var captured: [String: TypeShape] = [:]
            for field in event.capturedFields { captured[field.name] = shape(field.type, module: module) }
            for list in event.removedLists { captured["\(list.name)Index"] = TypeShape(type: "Int", optional: true) }
            fields["previous"] = TypeShape(type: "struct", name: "Previous", optional: true, fields: captured)
        }
        return fields
    }

    /// The shape of a value of `type`; `visiting` stops a struct that holds itself through a
    /// list from recursing (its inner occurrences are recorded by name).
    static func shape(_ type: FieldType, module: Module, visiting: Set<String> = []) -> TypeShape {
        switch type {
        case .string: return TypeShape(type: "String")
        case .int: return TypeShape(type: "Int")
        case .int64: return TypeShape(type: "Int64")
        case .double: return TypeShape(type: "Double")
        case .bool: return TypeShape(type: "Bool")
        case .uuid: return TypeShape(type: "UUID")
        case .date: return TypeShape(type: "Date")
        case .alias(_, let underlying): return shape(underlying, module: module, visiting: visiting)
        case .enumeration(let name, let cases): return TypeShape(type: "enum", name: name, cases: cases)
        case .aggregateID(let aggregate):
            var id = shape(module.aggregate(named: aggregate)?.idType ?? .uuid, module: module)
            id.name = "\(aggregate).ID"
            return id
        case .list(let element): return TypeShape(type: "list", element: shape(element, module: module, visiting: visiting))
        case .optional(let wrapped):
            var inner = shape(wrapped, module: module, visiting: visiting)
            inner.optional = true
            return inner
        case .structure(let name):
            guard !visiting.contains(name), let declaration = module.type(named: name), case .structure(let members) = declaration.kind else {
                return TypeShape(type: "struct", name: name)
            }
            var fields: [String: TypeShape] = [:]
            for member in members { fields[member.name] = shape(member.type, module: module, visiting: visiting.union([name])) }
            return TypeShape(type: "struct", name: name, fields: fields)
        }
    }
}

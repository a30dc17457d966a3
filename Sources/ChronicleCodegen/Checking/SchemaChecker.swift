import Foundation

/// Checks parsed schemas and builds the ``Module`` the renderer turns into Swift. Every problem
/// is reported, with a hint where one helps; a schema that passes produces Swift that compiles.
struct SchemaChecker {
    var diagnostics = Diagnostics()
    var typeSyntax: [String: TypeSyntax] = [:]
    var aggregateSyntax: [String: AggregateSyntax] = [:]
    var resolvedAliases: [String: FieldType] = [:]
    var resolving: Set<String> = []
    /// Fields whose type did not resolve: already reported, so their uses are not reported again.
    var unresolvedFields: Set<String> = []
    /// Aggregates and views that had errors: checks that derive from their whole (inverses, the
    /// undo of a view's handlers) are skipped, since they would only report the same mistake again.
    var incomplete: Set<String> = []
    var module: Module

    /// Names of envelope values a view may use, with their types.
    static let envelopeValues: [String: (FieldType, String)] = [
        "recordedAt": (.date, "context.recordedAt"),
        "position": (.int64, "context.position"),
        "streamVersion": (.int64, "context.streamVersion"),
        "eventID": (.uuid, "context.eventID"),
        "actor": (.optional(.string), "context.actor"),
    ]

    /// Names the generated code refers to (Swift, Foundation and the runtime): a schema type of
    /// the same name would hide them.
    static let namesGeneratedCodeUses: Set<String> = [
        // Swift and Foundation.
        "Swift", "Foundation", "Int32", "UInt8", "Void", "Never", "Set", "Array", "Dictionary", "Optional", "Error", "Sendable",
        "Codable", "Hashable", "Equatable", "Identifiable", "CaseIterable", "Comparable", "Duration", "Decoder", "Encoder",
        // The runtime.
        "Chronicle", "EventStore", "RecordedEvent", "StreamID", "DomainEvent", "AggregateEvent", "AggregateState", "AggregateID",
        "AggregateCommand", "ModuleEvent", "Projection", "EventContext", "JSONCodable", "JSONWriter", "JSONReader", "ChronicleJSON",
        "SchemaDecodingError", "CommandProcessor", "CommandProcessorOptions", "CommandContext", "CommandOutcome", "CommandTransaction",
        "SnapshotStore", "AuditLog", "AuditRecorder", "ViewStore", "ViewStoreOptions", "ViewHost", "ViewPreviewing", "ProjectionMode", "TimeMachine",
        "RevertOutcome", "AsOfPath", "StoredPayload", "PayloadUpcast", "JSONValue", "AggregateStateSet", "CheckedArithmetic", "FieldChanges", "FlatFileEventStore", "FlatFileSnapshotStore",
        "FlatFileStoreOptions",
        // Members the generated code declares and refers to by their short names.
        "State", "Event", "Events", "ID", "Row", "Previous", "Reverted", "Payload",
    ]

    init(moduleName: String, files: [String]) {
        module = Module(name: moduleName, files: files)
    }

    mutating func check(_ schemas: [SchemaSyntax]) -> Module {
        declareNames(schemas)
        for schema in schemas {
            for type in schema.types { module.types.append(checkType(type, file: schema.file)) }
        }
        checkRecursiveStructs()
        for schema in schemas {
            for aggregate in schema.aggregates { module.aggregates.append(checkAggregate(aggregate, file: schema.file)) }
        }
        markCreatingEvents()
        for schema in schemas {
            for command in schema.commands { if let checked = checkModuleCommand(command, file: schema.file) { module.commands.append(checked) } }
            for view in schema.views { module.views.append(checkView(view, file: schema.file)) }
        }
        return module
    }

    // MARK: Names

    mutating func declareNames(_ schemas: [SchemaSyntax]) {
        var seen: [String: SourceLocation] = [:]
        // Each aggregate's protocols for Swift code (`AccountSwiftEvents`, `AccountUpcasts`) are
        // module-level names too.
        let aggregateProtocols = schemas.flatMap { $0.aggregates.flatMap { [$0.name.value + "SwiftEvents", $0.name.value + "Upcasts"] } }
        let generated = Set(["Event", "Rules", "Schema", "Commands", "Queries", "Views", "App"].map { module.name + $0 } + SchemaChecker.namesGeneratedCodeUses
            + aggregateProtocols)
        func declare(_ name: Located<String>, _ what: String) -> Bool {
            guard SwiftName.isTypeName(name.value) else {
                diagnostics.error("\(what) name '\(name.value)' must start with a capital letter and hold only letters and digits", at: name.location)
                return false
            }
            if let first = seen[name.value] {
                diagnostics.error("duplicate name '\(name.value)'", at: name.location, note: "first declared here", at: first)
                return false
            }
            if generated.contains(name.value) || FieldType.builtins[name.value] != nil {
                diagnostics.error("the name '\(name.value)' is taken by \(FieldType.builtins[name.value] != nil ? "a built-in type" : "generated code")", at: name.location)
                return false
            }
            seen[name.value] = name.location
            return true
        }
        for schema in schemas {
            for type in schema.types where declare(type.name, "type") { typeSyntax[type.name.value] = type }
            for aggregate in schema.aggregates where declare(aggregate.name, "aggregate") { aggregateSyntax[aggregate.name.value] = aggregate }
            for command in schema.commands { _ = declare(command.name, "command") }
            for view in schema.views { _ = declare(view.name, "view") }
        }
    }

    /// Refuses a lowercase member name Swift reserves (`self`, `init`, `Type`, …); other keywords
    /// are escaped in the generated code.
    mutating func checkReservedMember(_ name: Located<String>, _ what: String) -> Bool {
        guard SwiftName.reservedMembers.contains(name.value) else { return true }
        diagnostics.error("\(what) '\(name.value)' is a name Swift reserves for members", at: name.location, hint: "choose another name; Swift keywords such as 'default' or 'in' are fine")
        return false
    }

    // MARK: Types

    mutating func resolve(_ expression: Located<TypeExpression>) -> FieldType? {
        let name = expression.value.name
        var base: FieldType?
        if let builtin = FieldType.builtins[name] {
            base = builtin
        } else if name.hasSuffix(".ID"), aggregateSyntax[String(name.dropLast(3))] != nil {
            base = .aggregateID(String(name.dropLast(3)))
        } else if let declared = typeSyntax[name] {
            switch declared.kind {
            case .alias: base = resolveAlias(declared)
            case .enumeration(let cases): base = .enumeration(name, cases: cases.map(\.value))
            case .structure: base = .structure(name)
            }
            if base == nil { return nil }
        } else {
            let known = Array(FieldType.builtins.keys) + Array(typeSyntax.keys) + aggregateSyntax.keys.map { "\($0).ID" }
            diagnostics.error("unknown type '\(name)'", at: expression.location,
                              hint: Suggestion.hint(for: name, among: known) ?? "declare it under 'types', or use String, Int, Int64, Double, Bool, UUID, Date")
            return nil
        }
        guard var type = base else { return nil }
        if expression.value.isList { type = .list(type) }
        if expression.value.isOptional { type = .optional(type) }
        return type
    }

    mutating func resolveAlias(_ declared: TypeSyntax) -> FieldType? {
        let name = declared.name.value
        if let done = resolvedAliases[name] { return done }
        guard case .alias(let target) = declared.kind else { return nil }
        guard resolving.insert(name).inserted else {
            diagnostics.error("type alias '\(name)' refers to itself", at: declared.name.location)
            return nil
        }
        defer { resolving.remove(name) }
        guard let underlying = resolve(target) else { return nil }
        let type = FieldType.alias(name, underlying)
        resolvedAliases[name] = type
        return type
    }

    mutating func checkType(_ syntax: TypeSyntax, file: String) -> TypeDeclaration {
        let kind: TypeDeclaration.Kind
        switch syntax.kind {
        case .alias:
            kind = .alias(resolveAlias(syntax)?.aliasUnderlying ?? .string)
        case .enumeration(let cases):
            var seen = Set<String>()
            for item in cases {
                if !SwiftName.isValidIdentifier(item.value) {
                    diagnostics.error("enum case '\(item.value)' must be a name of letters and digits", at: item.location)
                } else if !checkReservedMember(item, "enum case") {
                    continue
                } else if !seen.insert(item.value).inserted {
                    diagnostics.error("duplicate enum case '\(item.value)'", at: item.location)
                }
            }
            if cases.isEmpty { diagnostics.error("enum '\(syntax.name.value)' needs at least one case", at: syntax.name.location) }
            kind = .enumeration(cases.map(\.value))
        case .structure(let fields):
            kind = .structure(checkFields(fields, of: "struct '\(syntax.name.value)'", defaults: .allowed))
        }
        return TypeDeclaration(name: syntax.name.value, doc: syntax.doc, kind: kind, file: file)
    }

    enum DefaultRule { case allowed, forbidden, required }

    mutating func checkFields(_ fields: [FieldSyntax], of owner: String, defaults: DefaultRule) -> [Field] {
        var seen: [String: SourceLocation] = [:]
        var result: [Field] = []
        for syntax in fields {
            let name = syntax.name.value
            guard SwiftName.isValidIdentifier(name), name.first?.isLowercase == true || name.first == "_" else {
                diagnostics.error("field name '\(name)' must start with a lowercase letter and hold only letters and digits", at: syntax.name.location)
                continue
            }
            guard checkReservedMember(syntax.name, "field name") else {
                unresolvedFields.insert(name)
                continue
            }
            if name == "hashValue" {
                diagnostics.error("field name 'hashValue' is taken by Hashable, which generated types conform to", at: syntax.name.location)
                unresolvedFields.insert(name)
                continue
            }
            if let first = seen[name] {
                diagnostics.error("duplicate field '\(name)' in \(owner)", at: syntax.name.location, note: "first declared here", at: first)
                continue
            }
            seen[name] = syntax.name.location
            guard let type = resolve(syntax.type) else {
                unresolvedFields.insert(name)
                continue
            }
            var field = Field(name: name, type: type, doc: syntax.doc)
            if let node = syntax.defaultValue {
                if defaults == .forbidden {
                    diagnostics.error("fields of \(owner) take no default", at: node.location)
                } else {
                    field.defaultValue = literal(node, of: type, context: "default of '\(name)'")
                }
            } else if defaults != .forbidden {
                field.defaultValue = type.implicitDefault
                if field.defaultValue == nil, defaults == .required {
                    diagnostics.error("field '\(name)' of type \(type.swift) needs a default", at: syntax.name.location, hint: "add 'default:', or make it optional: '\(type.swift)?'")
                }
            }
            result.append(field)
        }
        return result
    }

    /// The Swift literal for a YAML value of a type, or `nil` (with a diagnostic) when it is not one.
    mutating func literal(_ node: YAMLNode, of type: FieldType, context: String) -> String? {
        if case .optional(let wrapped) = type.resolved {
            if node.isNull { return "nil" }
            return literal(node, of: wrapped, context: context)
        }
        if let items = node.items {
            if items.isEmpty, type.listElement != nil { return "[]" }
            diagnostics.error("\(context): only an empty list [] can be written here", at: node.location)
            return nil
        }
        guard let text = node.scalar else {
            diagnostics.error("\(context): expected a value of type \(type.swift)", at: node.location)
            return nil
        }
        switch type.resolved {
        case .int, .int64:
            if !node.isQuoted, Int64(text) != nil { return text }
        case .double:
            if !node.isQuoted, Double(text) != nil { return text }
        case .bool:
            if !node.isQuoted, text == "true" || text == "false" { return text }
        case .string:
            if node.isQuoted { return SwiftLiteral.string(text) }
            diagnostics.error("\(context): a text value must be quoted, e.g. \"\(text)\"", at: node.location)
            return nil
        case .enumeration(let name, let cases):
            if cases.contains(text) { return ".\(SwiftName.identifier(text))" }
            diagnostics.error("\(context): '\(text)' is not a case of \(name)", at: node.location, hint: Suggestion.hint(for: text, among: cases) ?? "cases: \(cases.joined(separator: ", "))")
            return nil
        default:
            break
        }
        diagnostics.error("\(context): '\(text)' is not a value of type \(type.swift)", at: node.location)
        return nil
    }
}

extension FieldType {
    var aliasUnderlying: FieldType? {
        if case .alias(_, let underlying) = self { return underlying }
        return nil
    }
}

extension Event {
    /// Whether every command emitting this event emits it first.
    func isFirstOfCommand(in aggregate: Aggregate) -> Bool {
        aggregate.commands.filter { $0.emits.contains(name) }.allSatisfy { $0.emits.first == name }
    }
}

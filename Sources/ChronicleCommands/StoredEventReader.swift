import Chronicle
import ChronicleCodegen
import ChronicleTerminal
import Foundation

/// Reads stored events the way generated code would, from the schemas alone: finds the event
/// by its stored name (a former one included), checks the stream and the version, applies the
/// declarative upcasts, and checks the result against the current payload's shape.
struct StoredEventReader {
    let catalog: EventCatalog

    /// What reading one event found.
    enum Reading: Equatable {
        /// Stored by the current version under the current name.
        case current(type: String)
        /// Read through a former name or declarative upcasts.
        case upcast(type: String)
        /// Needs an `upcast: swift` of the application.
        case needsSwift(type: String)
        /// Cannot be read, and why.
        case unreadable(String)
    }

    /// Loads the schemas; prints their problems and fails when they have any.
    static func load(schemas: [String]) throws -> StoredEventReader {
        let (sources, problems) = SchemaSource.read(schemas, withLocks: false)
        for problem in problems { Output.error(problem) }
        guard problems.isEmpty else { throw ExitCodeError.usage }
        let (catalog, diagnostics) = Generator(moduleName: "Schemas").catalog(sources)
        for diagnostic in diagnostics { Output.error(diagnostic.description + "\n") }
        guard let catalog else { throw ExitCodeError.usage }
        return StoredEventReader(catalog: catalog)
    }

    enum ExitCodeError: Error { case usage }

    /// The name and version an event has now, when the schemas know it.
    func current(of recorded: RecordedEvent) -> (type: String, version: Int)? {
        guard let (entry, isInverse) = catalog.entry(storedAs: recorded.type) else { return nil }
        return (entry.typeName + (isInverse ? ".Reverted" : ""), entry.version)
    }

    func read(_ recorded: RecordedEvent) -> Reading {
        guard let (entry, isInverse) = catalog.entry(storedAs: recorded.type) else {
            return .unreadable("no event of the schemas is stored under this name")
        }
        let current = entry.typeName + (isInverse ? ".Reverted" : "")
        let prefix = entry.aggregate + "-"
        guard recorded.stream.name.hasPrefix(prefix) else {
            return .unreadable("stream '\(recorded.stream.name)' is not a stream of \(entry.aggregate)")
        }
        if let problem = Self.problem(with: .string(String(recorded.stream.name.dropFirst(prefix.count))), as: idShape(entry.id), at: "the stream's id") {
            return .unreadable(problem)
        }
        let version = Int(recorded.schemaVersion)
        guard version <= entry.version else {
            return .unreadable("written by a newer schema (this one knows version \(entry.version))")
        }
        let value: JSONValue
        do {
            value = try JSONValue(jsonBytes: recorded.payload)
        } catch {
            return .unreadable("\(error)")
        }
        guard var fields = value.members else { return .unreadable("the payload is not a JSON object") }
        var upcast = recorded.type != current
        if version < entry.version {
            switch entry.upcast {
            case .none: return .unreadable("version \(version) is older than any version of \(entry.typeName) this schema reads (\(entry.version))")
            case .swift: return .needsSwift(type: current)
            case .steps(let steps):
                let runtime = steps.map(Self.runtimeStep)
                var version = version
                while version < entry.version {
                    guard let step = runtime.first(where: { $0.from == Int32(version) }) else {
                        return .unreadable("no upcast from version \(version)")
                    }
                    if isInverse {
                        guard var original = fields["original"]?.members else { return .unreadable("missing member 'original'") }
                        step.apply(to: &original)
                        fields["original"] = .object(original)
                    } else {
                        step.apply(to: &fields)
                    }
                    version += 1
                }
                upcast = true
            }
        }
        let shape = isInverse ? ["original": TypeShape(type: "struct", name: entry.typeName, fields: entry.fields)] : entry.fields
        for name in shape.keys.sorted() {
            guard let member = shape[name] else { continue }
            if let problem = Self.problem(with: fields[name], as: member, at: name) {
                return .unreadable((upcast && version < entry.version ? "after the upcasts, " : "") + problem)
            }
        }
        return upcast ? .upcast(type: current) : .current(type: current)
    }

    /// An id is stored in the stream name as text.
    private func idShape(_ id: TypeShape) -> TypeShape { id.type == "String" ? id : TypeShape(type: "text:" + id.type) }

    static func runtimeStep(_ step: EventCatalog.Step) -> PayloadUpcast {
        PayloadUpcast(from: Int32(clamping: step.from), changes: step.changes.map { change in
            switch change {
            case .removed(let field): return .removed(field: field)
            case .renamed(let old, let new): return .renamed(from: old, to: new)
            case .added(let field, let json): return .added(field: field, value: (try? JSONValue(jsonBytes: Array(json.utf8))) ?? .null)
            case .cases(let field, let mapping): return .cases(field: field, mapping: mapping)
            }
        })
    }

    /// Why `value` does not decode as `shape`, or `nil` when it does.
    static func problem(with value: JSONValue?, as shape: TypeShape, at path: String) -> String? {
        guard let value, value != .null else {
            return shape.optional == true ? nil : "missing member '\(path)'"
        }
        func expected(_ what: String) -> String { "'\(path)' holds \(value.kindName), not \(what)" }
        switch (shape.type, value) {
        case ("String", .string): return nil
        case ("Int", .number(let text)), ("Int64", .number(let text)):
            return Int64(text) == nil ? "'\(path)' holds \(text), not a whole number that fits 64 bits" : nil
        case ("Double", .number), ("Date", .number): return nil
        case ("Bool", .bool): return nil
        case ("UUID", .string(let text)): return UUID(uuidString: text) == nil ? "'\(path)' holds '\(text)', not a UUID" : nil
        case ("text:UUID", .string(let text)): return UUID(uuidString: text) == nil ? "\(path) '\(text)' is not a UUID" : nil
        case ("text:Int", .string(let text)): return Int(text) == nil ? "\(path) '\(text)' is not a whole number" : nil
        case ("enum", .string(let text)):
            return (shape.cases ?? []).contains(text) ? nil : "'\(path)' holds '\(text)', not a case of \(shape.name ?? "the enum") (\((shape.cases ?? []).joined(separator: ", ")))"
        case ("struct", .object(let members)):
            for name in (shape.fields ?? [:]).keys.sorted() {
                guard let member = shape.fields?[name] else { continue }
                if let problem = problem(with: members[name], as: member, at: "\(path).\(name)") { return problem }
            }
            return nil
        case ("list", .array(let elements)):
            guard let element = shape.element else { return nil }
            for (index, item) in elements.enumerated() {
                if let problem = problem(with: item, as: element, at: "\(path)[\(index)]") { return problem }
            }
            return nil
        default:
            return expected(shape.type == "list" ? "a list" : shape.type == "struct" ? "an object" : shape.spelledForMessages)
        }
    }
}

extension TypeShape {
    /// `String`, `Channel`, … for messages.
    var spelledForMessages: String {
        switch type {
        case "enum", "struct": return name ?? type
        default: return type.hasPrefix("text:") ? String(type.dropFirst(5)) : type
        }
    }
}

import ChronicleTemplates
import Foundation
import Mustache

/// A schema file to generate from.
public struct SchemaSource: Sendable {
    /// The file's path, as diagnostics should show it.
    public var path: String
    /// The file's text.
    public var text: String

    /// Creates a source.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// The schema's lock (`Bank.chronicle.lock` beside it), when it has one: generation then
    /// checks the schema against it.
    public var lock: LockSource?

    /// Creates a source with its lock.
    public init(path: String, text: String, lock: LockSource?) {
        self.path = path
        self.text = text
        self.lock = lock
    }

    /// The generated file's name: `Bank.chronicle.yaml` → `Bank.chronicle.swift`.
    public var outputName: String { Generator.outputName(forSchema: path) }

    /// Reads schema files (with their locks, when asked), refusing a file over
    /// ``Generator/maximumSchemaBytes`` before reading it. Returns what could be read and a
    /// compiler-style line (`path:1:1: error: …`, ending in a newline) for each file that could not.
    public static func read(_ paths: [String], withLocks: Bool) -> (sources: [SchemaSource], problems: [String]) {
        var sources: [SchemaSource] = []
        var problems: [String] = []
        for path in paths {
            // Refused before reading: a huge file must not cost its size in memory first.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size > Generator.maximumSchemaBytes {
                problems.append("\(path):1:1: error: the schema file is \(size) bytes, more than the \(Generator.maximumSchemaBytes) bytes a schema may have\n")
                continue
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                problems.append("\(path):1:1: error: cannot read the schema file\n")
                continue
            }
            var lock: LockSource?
            if withLocks {
                let found = readLock(forSchema: path)
                if let problem = found.problem { problems.append(problem) }
                lock = found.source
            }
            sources.append(SchemaSource(path: path, text: text, lock: lock))
        }
        return (sources, problems)
    }

    /// The lock beside a schema, when there is one; a lock that exists but cannot be read is a
    /// problem (a compiler-style line), not a missing lock.
    private static func readLock(forSchema path: String) -> (source: LockSource?, problem: String?) {
        let lockPath = Generator.lockPath(forSchema: path)
        guard FileManager.default.fileExists(atPath: lockPath) else { return (nil, nil) }
        guard let text = try? String(contentsOfFile: lockPath, encoding: .utf8) else {
            return (nil, "\(lockPath):1:1: error: cannot read the lock file\n")
        }
        return (LockSource(path: lockPath, text: text), nil)
    }
}

/// A lock file's text (see ``SchemaLock``).
public struct LockSource: Sendable {
    /// The file's path, as diagnostics should show it.
    public var path: String
    /// The file's text.
    public var text: String

    /// Creates a lock source.
    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }
}

/// What ``Generator/locks(_:force:)`` made: the lock of each schema, or the problems.
public struct LockResult: Sendable {
    /// Each schema's lock file: its path (beside the schema) and text. Empty on errors.
    public var files: [(path: String, text: String)]
    /// Every error, sorted by place.
    public var diagnostics: [Diagnostic]

    /// Whether the locks were made.
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// A file the generator produced.
public struct GeneratedFile: Hashable, Sendable {
    /// The file name (no folder).
    public var name: String
    /// The Swift source.
    public var contents: String
}

/// What a generation run produced.
public struct GenerationResult: Sendable {
    /// The files, one per schema plus the module file; empty when an error was found.
    public var files: [GeneratedFile]
    /// Every error and warning, sorted by place.
    public var diagnostics: [Diagnostic]

    /// Whether generation succeeded (no errors; warnings allowed).
    public var succeeded: Bool { !diagnostics.contains { $0.severity == .error } }
}

/// Turns the schemas of one module into Swift: parse → check → translate → render.
///
/// All schemas of a module are generated together, so they may refer to each other's types and
/// aggregates. Problems are reported all at once, as ``Diagnostic`` values.
public struct Generator: Sendable {
    /// The Swift module the code is generated into; it names the module-wide types
    /// (`<Module>Event`, `<Module>Rules`, `<Module>Schema`).
    public var moduleName: String
    /// Templates that replace the built-in ones, by name (`aggregate`, `view`, …), with the path
    /// they were read from.
    public var templateOverrides: [String: (path: String, text: String)]

    /// Whether the memory of a run's intermediate trees (YAML, syntax, checked model) is given
    /// back when the run ends. A command-line tool that exits right after one run may set it to
    /// `false`, as compilers do: the process's end frees everything at once, and freeing millions
    /// of nodes one by one is a measurable part of checking a large schema.
    public var freesIntermediates = true

    /// Creates a generator.
    public init(moduleName: String, templateOverrides: [String: (path: String, text: String)] = [:]) {
        self.moduleName = moduleName
        self.templateOverrides = templateOverrides
    }

    /// Holds a run's intermediates when they are not to be freed.
    final class Intermediates {
        var values: [Any] = []
    }

    /// The largest schema file the generator reads, in bytes (16 MiB); a tool reading schema
    /// files should refuse larger ones before reading them.
    public static var maximumSchemaBytes: Int { YAMLReader.maximumFileBytes }

    /// The names of the built-in templates.
    public static var templateNames: [String] { ChronicleTemplates.all.keys.sorted() }

    /// The output file name for a schema path.
    public static func outputName(forSchema path: String) -> String {
        var name = (path as NSString).lastPathComponent
        for suffix in [".chronicle.yaml", ".chronicle.yml", ".yaml", ".yml"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return name + ".chronicle.swift"
    }

    /// The module file's name.
    public static func moduleFileName(_ module: String) -> String { "\(module).chronicle-module.swift" }

    /// The lock file's path for a schema path: beside it, `Bank.chronicle.yaml` →
    /// `Bank.chronicle.lock`.
    public static func lockPath(forSchema path: String) -> String {
        for suffix in [".chronicle.yaml", ".chronicle.yml", ".yaml", ".yml"] where path.hasSuffix(suffix) {
            return String(path.dropLast(suffix.count)) + (suffix.hasPrefix(".chronicle") ? ".chronicle.lock" : ".lock")
        }
        return path + ".lock"
    }

    /// The locks of the module's schemas as they are now. Unless `force` is set, each schema is
    /// first checked against its current lock, as a build would: a lock is only advanced over
    /// compatible changes.
    public func locks(_ sources: [SchemaSource], force: Bool = false) -> LockResult {
        let (files, diagnostics) = fromCheckedModule(sources, checkingLocks: !force) { module in
            sources.sorted(by: { $0.path < $1.path }).map { source in
                (path: Self.lockPath(forSchema: source.path),
                 text: SchemaLock.of(module, file: source.path, schemaName: (source.path as NSString).lastPathComponent).fileText())
            }
        }
        return LockResult(files: files ?? [], diagnostics: diagnostics)
    }

    /// `make`'s result from the checked module, or `nil`, with the diagnostics either way.
    func fromCheckedModule<Result>(_ sources: [SchemaSource], checkingLocks: Bool, _ make: (Module) -> Result) -> (Result?, [Diagnostic]) {
        var diagnostics = Diagnostics()
        let kept = Intermediates()
        defer { if !freesIntermediates { _ = Unmanaged.passRetained(kept) } }
        guard let module = checkedModule(sources, &diagnostics, kept: kept, checkingLocks: checkingLocks) else { return (nil, diagnostics.sorted) }
        return (make(module), diagnostics.sorted)
    }

    /// Parses and checks the schemas (and, with `checkingLocks`, compares them with their
    /// locks); `nil` when anything is wrong.
    func checkedModule(_ sources: [SchemaSource], _ diagnostics: inout Diagnostics, kept: Intermediates, checkingLocks: Bool) -> Module? {
        if !SwiftName.isTypeName(moduleName) {
            diagnostics.error("module name '\(moduleName)' must be a Swift type name", at: nil)
        }
        var outputs = Set<String>()
        var schemas: [SchemaSyntax] = []
        for source in sources.sorted(by: { $0.path < $1.path }) {
            if !outputs.insert(source.outputName).inserted {
                diagnostics.error("two schemas would generate \(source.outputName)", at: SourceLocation(file: source.path, line: 1, column: 1), hint: "rename one of them")
            }
            guard let root = YAMLNode.parse(source.text, file: source.path, diagnostics: &diagnostics) else { continue }
            kept.values.append(root)
            var parser = SchemaParser()
            schemas.append(parser.parse(root, file: source.path))
            diagnostics.append(contentsOf: parser.diagnostics)
        }
        var checker = SchemaChecker(moduleName: moduleName, files: sources.map(\.path))
        let module = checker.check(schemas)
        kept.values += [schemas, checker, module]
        diagnostics.append(contentsOf: checker.diagnostics)
        guard !diagnostics.hasErrors else { return nil }
        if checkingLocks {
            var check = LockCheck(module: module)
            for source in sources.sorted(by: { $0.path < $1.path }) {
                guard let lock = source.lock else { continue }
                do {
                    check.check(try SchemaLock(fileText: lock.text), path: lock.path, text: lock.text)
                } catch {
                    diagnostics.error("cannot read the lock file: \(error)", at: SourceLocation(file: lock.path, line: 1, column: 1),
                                      hint: "write it again with 'chronicle lock' (or 'swift package chronicle-lock')")
                }
            }
            diagnostics.append(contentsOf: check.diagnostics)
        }
        return diagnostics.hasErrors ? nil : module
    }

    /// Generates the module's Swift files.
    public func generate(_ sources: [SchemaSource]) -> GenerationResult {
        var diagnostics = Diagnostics()
        let kept = Intermediates()
        defer { if !freesIntermediates { _ = Unmanaged.passRetained(kept) } }
        guard let module = checkedModule(sources, &diagnostics, kept: kept, checkingLocks: true),
              let schemas = kept.values.first(where: { $0 is [SchemaSyntax] }) as? [SchemaSyntax] else {
            return GenerationResult(files: [], diagnostics: diagnostics.sorted)
        }

        let library: MustacheLibrary
        do {
            library = try templates()
        } catch let error as TemplateError {
            diagnostics.error(error.message, at: error.location, hint: error.hint)
            return GenerationResult(files: [], diagnostics: diagnostics.sorted)
        } catch {
            diagnostics.error("cannot read the templates: \(error)", at: nil)
            return GenerationResult(files: [], diagnostics: diagnostics.sorted)
        }
        let render = RenderContext(module: module)
        var files: [GeneratedFile] = []
        for (source, schema) in zip(sources.sorted(by: { $0.path < $1.path }), schemas) {
            let context = Self.schemaFileModel(source, schema, module, render)
            guard let text = library.render(Self.renderable(context), withTemplate: "schema-file") else {
                diagnostics.error("template 'schema-file' is missing", at: nil)
                return GenerationResult(files: [], diagnostics: diagnostics.sorted)
            }
            files.append(GeneratedFile(name: source.outputName, contents: tidy(text)))
        }
        let moduleContext = Self.moduleFileModel(moduleName, module, render)
        guard let text = library.render(Self.renderable(moduleContext), withTemplate: "module-file") else {
            diagnostics.error("template 'module-file' is missing", at: nil)
            return GenerationResult(files: [], diagnostics: diagnostics.sorted)
        }
        files.append(GeneratedFile(name: Generator.moduleFileName(moduleName), contents: tidy(text)))
        return GenerationResult(files: files, diagnostics: diagnostics.sorted)
    }

    /// A model as nested dictionaries and arrays, made in one pass: Mustache then finds each name
    /// by a dictionary lookup, where a model value would be reflected (`Mirror`) at every lookup,
    /// several times slower.
    static func renderable(_ value: Any) -> Any {
        switch value {
        case is String, is Int, is Bool: return value
        case let lines as [String] where type(of: value) == [String].self: return lines
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .collection?: return mirror.children.map { renderable($0.value) }
            case .struct?:
                var dictionary: [String: Any] = [:]
                for child in mirror.children { if let label = child.label { dictionary[label] = renderable(child.value) } }
                return dictionary
            default: return value
            }
        }
    }

    static func schemaFileModel(_ source: SchemaSource, _ schema: SchemaSyntax, _ module: Module, _ render: RenderContext) -> SchemaFileModel {
        SchemaFileModel(
            fileName: source.outputName,
            schemaFile: (source.path as NSString).lastPathComponent,
            doc: RenderContext.docLines(schema.doc),
            types: module.types.filter { $0.file == schema.file }.map(render.type),
            aggregates: module.aggregates.filter { $0.file == schema.file }.map(render.aggregate),
            moduleCommands: module.commands.filter { $0.file == schema.file }.map(render.moduleCommand),
            views: module.views.filter { $0.file == schema.file }.map(render.view)
        )
    }

    static func moduleFileModel(_ moduleName: String, _ module: Module, _ render: RenderContext) -> ModuleFileModel {
        ModuleFileModel(
            fileName: Generator.moduleFileName(moduleName),
            module: moduleName,
            aggregates: module.aggregates.map { ModuleAggregateModel(name: $0.name, caseName: RenderContext.caseName($0.name)) },
            rules: render.rules(),
            commandMethods: render.commandMethods(),
            fingerprint: render.fingerprints.of(module),
            eventTypes: module.aggregates.flatMap { aggregate in
                aggregate.events.flatMap { event -> [String] in
                    switch event.inverse {
                    case .generated, .swift: return [event.typeName, event.typeName + ".Reverted"]
                    default: return [event.typeName]
                    }
                }
            },
            views: module.views.enumerated().map { index, view in
                ModuleViewModel(name: view.name, property: SwiftName.identifier(SwiftName.lowerFirst(view.name)), doc: RenderContext.docLines(view.doc),
                                last: index == module.views.count - 1)
            },
            eventChanges: render.moduleEventChanges(),
            hostList: module.views.map { SwiftName.lowerFirst($0.name) + "Host" }.joined(separator: ", "),
            renamedTypes: renamedTypes(module),
            hasRenamedTypes: !renamedTypes(module).isEmpty
        )
    }

    /// Every former event type name with the name it has now, inverses included.
    static func renamedTypes(_ module: Module) -> [RenamedTypeModel] {
        module.aggregates.flatMap { aggregate in
            aggregate.events.flatMap { event in
                event.formerNames.flatMap { former -> [RenamedTypeModel] in
                    let renamed = RenamedTypeModel(former: "\(aggregate.name).\(former)", current: event.typeName)
                    switch event.inverse {
                    case .generated, .swift:
                        return [renamed, RenamedTypeModel(former: renamed.former + ".Reverted", current: event.typeName + ".Reverted")]
                    default: return [renamed]
                    }
                }
            }
        }
    }

    /// A schema that uses every part of the template model, so that rendering it shows the
    /// model's whole shape (see ``TemplateCheck``).
    static let referenceSchema = """
        chronicle: 1
        doc: Every part of the template model.
        types:
          Money: { alias: Int, doc: An amount. }
          Kind: { enum: [small, large] }
          Line: { struct: { kind: Kind, amount: Money } }
        aggregates:
          Account:
            doc: An account.
            state:
              balance: { type: Money, default: 0 }
              owner: { type: String, doc: Who owns it. }
              lines: { type: "[Line]", default: [] }
            events:
              Opened:
                doc: Opened.
                version: 2
                formerly: [Created]
                fields: { owner: String }
                apply: { set: { owner: owner } }
                upcast: { 1: { renamed: { name: owner }, removed: [legacy] } }
              Paid: { fields: { amount: Money }, apply: { add: { balance: amount } }, inverse: Refunded }
              Refunded: { fields: { amount: Money }, apply: { subtract: { balance: amount } }, inverse: Paid }
              Dropped: { fields: { line: Line }, apply: { remove: { lines: line } } }
              Mixed: { apply: swift, version: 2, upcast: swift }
              Told: { irreversible: said is said }
            commands:
              Open: { doc: Opens., fields: { owner: String }, creates: true, emits: [Opened] }
              Pay: { fields: { amount: Money }, emits: [Paid], errors: [closed], decide: swift }
        commands:
          Move:
            doc: Moves.
            targets: { from: Account, to: Account }
            fields: { amount: Money }
            emits: { from: [Refunded], to: [Paid] }
            errors: [closed]
            decide: swift
        views:
          Owners:
            doc: Owners.
            key: Account
            fields: { owner: { type: String, default: "" }, paid: { type: Money, default: 0 } }
            index: [owner]
            on:
              Account.Opened: { set: { owner: owner } }
              Account.Paid: { add: { paid: amount } }
        """

    /// The models of ``referenceSchema``.
    static func referenceModels() -> (schemaFile: SchemaFileModel, moduleFile: ModuleFileModel)? {
        var diagnostics = Diagnostics()
        guard let root = YAMLNode.parse(referenceSchema, file: "Reference.chronicle.yaml", diagnostics: &diagnostics) else { return nil }
        var parser = SchemaParser()
        let schema = parser.parse(root, file: "Reference.chronicle.yaml")
        var checker = SchemaChecker(moduleName: "Reference", files: ["Reference.chronicle.yaml"])
        let module = checker.check([schema])
        guard !parser.diagnostics.hasErrors, !checker.diagnostics.hasErrors else { return nil }
        let render = RenderContext(module: module)
        return (schemaFileModel(SchemaSource(path: "Reference.chronicle.yaml", text: referenceSchema), schema, module, render), moduleFileModel("Reference", module, render))
    }

    private struct TemplateError: Error {
        var message: String
        var location: SourceLocation?
        var hint: String?
    }

    private func templates() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in ChronicleTemplates.all {
            let override = templateOverrides[name]
            do {
                try library.register(override?.text ?? text, named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw TemplateError(
                    message: "template '\(name)' does not parse: \(error.error)",
                    location: SourceLocation(file: override?.path ?? "Templates/\(name).mustache", line: error.context.lineNumber, column: error.context.columnNumber + 1)
                )
            } catch {
                throw TemplateError(message: "template '\(name)' does not parse: \(error)", location: SourceLocation(file: override?.path ?? "Templates/\(name).mustache", line: 1, column: 1))
            }
        }
        for (name, override) in templateOverrides where ChronicleTemplates.all[name] == nil {
            throw TemplateError(message: "no built-in template is named '\(name)'", location: SourceLocation(file: override.path, line: 1, column: 1))
        }
        if !templateOverrides.isEmpty {
            // An override may read only what the model has; the built-in templates are held to
            // that by the tests.
            do {
                _ = try Self.checkTemplates(ChronicleTemplates.all.merging(templateOverrides.mapValues(\.text)) { _, override in override })
            } catch let problem as TemplateCheck.Problem {
                var error = TemplateError(message: "template '\(problem.template)': \(problem.message)", location: SourceLocation(
                    file: templateOverrides[problem.template]?.path ?? "Templates/\(problem.template).mustache", line: problem.line, column: problem.column
                ))
                error.hint = problem.hint
                throw error
            }
        }
        return library
    }

    /// Checks templates against the template model; returns every `Type.property` some template
    /// reads, and every property of the model.
    static func checkTemplates(_ templates: [String: String]) throws -> (used: Set<String>, all: [String]) {
        guard let models = referenceModels() else { return ([], []) }
        var check = TemplateCheck(templates: templates, schemaFile: models.schemaFile, moduleFile: models.moduleFile)
        try check.check("schema-file")
        try check.check("module-file")
        return (check.used, check.allProperties)
    }

    /// The built-in templates, by name.
    static var builtInTemplates: [String: String] { ChronicleTemplates.all }

    /// Removes trailing spaces and runs of blank lines that template sections leave behind.
    private func tidy(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var line: [UInt8] = []
        var lastWasBlank = true
        func finish() {
            while line.last == UInt8(ascii: " ") { line.removeLast() }
            if line.isEmpty {
                if !lastWasBlank { output.append(UInt8(ascii: "\n")) }
                lastWasBlank = true
            } else {
                output += line
                output.append(UInt8(ascii: "\n"))
                lastWasBlank = false
            }
            line.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") { finish() } else { line.append(byte) }
        }
        finish()
        while output.count >= 2, output[output.count - 1] == UInt8(ascii: "\n"), output[output.count - 2] == UInt8(ascii: "\n") { output.removeLast() }
        return String(decoding: output, as: UTF8.self)
    }
}

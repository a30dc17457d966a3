import Foundation

/// One run of the generator on files: what `chronicle generate` and the build plugin's tool do.
///
/// It reads the schemas (refusing a file over ``Generator/maximumSchemaBytes`` before reading
/// it) and the template overrides, generates, and writes each output file only when its contents
/// changed, so that a build recompiles only what it must. When anything is wrong — a schema, an
/// unreadable file or folder, a template — it writes nothing.
public struct GenerationJob: Sendable {
    /// The Swift module the code goes into.
    public var module: String
    /// The folder the Swift files are written into (created when missing).
    public var output: String
    /// A folder of `NAME.mustache` files that replace the built-in templates of the same names.
    public var templates: String?
    /// The schema files.
    public var schemas: [String]
    /// See ``Generator/freesIntermediates``: a tool that exits after the job may set it to
    /// `false`.
    public var freesIntermediates = true

    /// Creates a job.
    public init(module: String, output: String, templates: String? = nil, schemas: [String]) {
        self.module = module
        self.output = output
        self.templates = templates
        self.schemas = schemas
    }

    /// What a job did.
    public struct Outcome: Sendable {
        /// Whether the files were generated (warnings allowed).
        public var succeeded: Bool
        /// The lines to show, compiler-style (`path:line:column: error: message`, notes after
        /// their diagnostic), each ending in a newline.
        public var messages: [String]
    }

    /// Runs the job.
    public func run() -> Outcome {
        let (sources, problems) = SchemaSource.read(schemas, withLocks: true)
        var messages = problems
        var unreadable = !problems.isEmpty
        var overrides: [String: (path: String, text: String)] = [:]
        if let templates {
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: templates)
                for name in names.sorted() where name.hasSuffix(".mustache") {
                    let path = templates + "/" + name
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        messages.append("\(path):1:1: error: cannot read the template (it must be UTF-8 text)\n")
                        unreadable = true
                        continue
                    }
                    overrides[String(name.dropLast(".mustache".count))] = (path, text)
                }
            } catch {
                var isFolder: ObjCBool = false
                let reason = !FileManager.default.fileExists(atPath: templates, isDirectory: &isFolder) ? "there is no such folder"
                    : !isFolder.boolValue ? "it is not a folder" : "it cannot be listed (\(error.localizedDescription))"
                messages.append("\(templates): error: cannot read the templates folder: \(reason)\n")
                unreadable = true
            }
        }
        var generator = Generator(moduleName: module, templateOverrides: overrides)
        generator.freesIntermediates = freesIntermediates
        let result = generator.generate(sources)
        messages += result.diagnostics.map { $0.description + "\n" }
        guard result.succeeded, !unreadable else { return Outcome(succeeded: false, messages: messages) }
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for file in result.files {
                let path = output + "/" + file.name
                if (try? String(contentsOfFile: path, encoding: .utf8)) == file.contents { continue }
                try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
            }
        } catch {
            messages.append("\(output): error: cannot write the generated files: \(error.localizedDescription)\n")
            return Outcome(succeeded: false, messages: messages)
        }
        return Outcome(succeeded: true, messages: messages)
    }
}

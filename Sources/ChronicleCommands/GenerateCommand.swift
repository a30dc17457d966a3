import ArgumentParser
import ChronicleCodegen
import Foundation

/// `chronicle generate`: what the build plugin runs, usable by hand.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate Swift from Chronicle schemas (*.chronicle.yaml).",
        discussion: """
            Writes one NAME.chronicle.swift per schema and MODULE.chronicle-module.swift into the \
            output folder, each only when its contents changed. Problems are printed as \
            path:line:column: error: message (each followed by its path:line:column: note: \
            lines), all at once, and the command exits 1 without writing anything; an unreadable \
            schema, templates folder or template is such a problem. Silent on success.
            """
    )

    @Option(help: "The Swift module the code goes into; it names the module-wide types (<Module>Event, <Module>Rules, <Module>Schema).")
    var module: String

    @Option(help: "The folder to write the Swift files into.")
    var output: String

    @Option(help: "A folder of NAME.mustache files that replace the built-in templates of the same names.")
    var templates: String?

    @Argument(help: "The schema files.")
    var schemas: [String]

    func run() throws {
        var sources: [SchemaSource] = []
        var unreadable = false
        for path in schemas {
            // Refused before reading: a huge file must not cost its size in memory first.
            if let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size > Generator.maximumSchemaBytes {
                Output.error("\(path):1:1: error: the schema file is \(size) bytes, more than the \(Generator.maximumSchemaBytes) bytes a schema may have\n")
                unreadable = true
                continue
            }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                Output.error("\(path):1:1: error: cannot read the schema file\n")
                unreadable = true
                continue
            }
            sources.append(SchemaSource(path: path, text: text))
        }
        var overrides: [String: (path: String, text: String)] = [:]
        if let templates {
            do {
                let names = try FileManager.default.contentsOfDirectory(atPath: templates)
                for name in names.sorted() where name.hasSuffix(".mustache") {
                    let path = templates + "/" + name
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        Output.error("\(path):1:1: error: cannot read the template (it must be UTF-8 text)\n")
                        unreadable = true
                        continue
                    }
                    overrides[String(name.dropLast(".mustache".count))] = (path, text)
                }
            } catch {
                var isFolder: ObjCBool = false
                let reason = !FileManager.default.fileExists(atPath: templates, isDirectory: &isFolder) ? "there is no such folder"
                    : !isFolder.boolValue ? "it is not a folder" : "it cannot be listed (\(error.localizedDescription))"
                Output.error("\(templates): error: cannot read the templates folder: \(reason)\n")
                unreadable = true
            }
        }
        var generator = Generator(moduleName: module, templateOverrides: overrides)
        // The process ends after this one run: its end frees the trees at once.
        generator.freesIntermediates = false
        let result = generator.generate(sources)
        for diagnostic in result.diagnostics {
            Output.error(diagnostic.description + "\n")
        }
        guard result.succeeded, !unreadable else { throw ExitCode(1) }
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for file in result.files {
            let path = output + "/" + file.name
            // Write only what changed, so that the build recompiles only what it must.
            if (try? String(contentsOfFile: path, encoding: .utf8)) == file.contents { continue }
            try file.contents.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}

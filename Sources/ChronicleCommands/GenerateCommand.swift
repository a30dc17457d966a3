import ArgumentParser
import ChronicleCodegen
import ChronicleTerminal

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
        var job = GenerationJob(module: module, output: output, templates: templates, schemas: schemas)
        // The process ends after this one run: its end frees the trees at once.
        job.freesIntermediates = false
        let outcome = job.run()
        for message in outcome.messages { Output.error(message) }
        guard outcome.succeeded else { throw ExitCode(1) }
    }
}

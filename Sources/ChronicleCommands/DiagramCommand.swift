import ArgumentParser
import ChronicleCodegen
import ChronicleTerminal
import Foundation

/// `chronicle diagram`: a picture of a module's domain on standard output.
struct DiagramCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Print a picture of the domain: commands → events → views, one lane per aggregate.",
        discussion: """
            Drawn the way event-storming workshops do: commands in blue, the events they emit \
            in orange, the views those events feed in green, one yellow lane per aggregate, \
            commands across aggregates above the lanes, named inverse pairs joined by a dashed \
            line and irreversible events marked in red. Mermaid (which GitHub renders in \
            Markdown, in a ```mermaid block) is the default; --format svg prints a standalone \
            SVG laid out by the command itself. Schema problems are printed as \
            path:line:column: error: message, and the command exits 1.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case mermaid, svg
    }

    @Option(help: "mermaid or svg.")
    var format: Format = .mermaid

    @Option(help: "The Swift module the schemas generate into (it matters only to the names the checker allows).")
    var module: String = "Module"

    @Argument(help: "The schema files of one module.")
    var schemas: [String]

    func validate() throws {
        if schemas.isEmpty { throw ValidationError("give the schema files of one module") }
    }

    func run() throws {
        let (sources, problems) = SchemaSource.read(schemas, withLocks: false)
        for problem in problems { Output.error(problem) }
        guard problems.isEmpty else { throw ExitCode(1) }
        let (diagram, diagnostics) = Generator(moduleName: module).diagram(sources)
        for diagnostic in diagnostics { Output.error(diagnostic.description + "\n") }
        guard let diagram else { throw ExitCode(1) }
        try Output.write(format == .svg ? diagram.svg() : diagram.mermaid())
    }
}

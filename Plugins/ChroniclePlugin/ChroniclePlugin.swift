import Foundation
import PackagePlugin

/// Generates Swift from the `*.chronicle.yaml` schemas of a target, with one run of
/// `chronicle generate` for all of them (schemas may refer to each other).
///
/// Outputs are one `NAME.chronicle.swift` per schema plus `TARGET.chronicle-module.swift`.
/// A schema with a lock beside it (`NAME.chronicle.lock`, see `swift package chronicle-lock`)
/// is checked against it: a change that would break existing logs fails the build.
/// A target may override templates by putting `NAME.mustache` files in a `ChronicleTemplates`
/// folder of its own.
@main
struct ChroniclePlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let files = target.sourceFiles.map(\.url)
        let schemas = files.filter { $0.lastPathComponent.hasSuffix(".chronicle.yaml") || $0.lastPathComponent.hasSuffix(".chronicle.yml") }
            .sorted { $0.path < $1.path }
        guard !schemas.isEmpty else { return [] }
        let templates = files.filter { $0.pathExtension == "mustache" && $0.deletingLastPathComponent().lastPathComponent == "ChronicleTemplates" }
            .sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedSources")
        let tool = try context.tool(named: "ChroniclePluginTool")
        var arguments = ["generate", "--module", target.name, "--output", output.path]
        if let folder = templates.first?.deletingLastPathComponent() {
            arguments += ["--templates", folder.path]
        }
        arguments += schemas.map(\.path)
        // A schema's lock (`NAME.chronicle.lock` beside it) is read by the tool: an edit to it
        // must run the check again.
        let lockNames = Set(schemas.map(lockName(for:)))
        let locks = files.filter { lockNames.contains($0.lastPathComponent) }
        let outputs = schemas.map { output.appendingPathComponent(generatedName(for: $0)) }
            + [output.appendingPathComponent("\(target.name).chronicle-module.swift")]
        return [
            .buildCommand(
                displayName: "Generating Chronicle code for \(target.name)",
                executable: tool.url,
                arguments: arguments,
                inputFiles: schemas + locks + templates,
                outputFiles: outputs
            ),
        ]
    }

    /// Mirrors `Generator.lockPath(forSchema:)`: `Bank.chronicle.yaml` → `Bank.chronicle.lock`.
    private func lockName(for schema: URL) -> String { stem(of: schema) + ".chronicle.lock" }

    /// Mirrors `Generator.outputName(forSchema:)`: `Bank.chronicle.yaml` → `Bank.chronicle.swift`.
    private func generatedName(for schema: URL) -> String { stem(of: schema) + ".chronicle.swift" }

    /// The schema's name without `.chronicle.yaml` (or `.chronicle.yml`).
    private func stem(of schema: URL) -> String {
        let name = schema.lastPathComponent
        for suffix in [".chronicle.yaml", ".chronicle.yml"] where name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }
}

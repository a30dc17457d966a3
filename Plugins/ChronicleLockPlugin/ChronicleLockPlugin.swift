import Foundation
import PackagePlugin

/// `swift package chronicle-lock`: writes the lock file beside each `*.chronicle.yaml` schema
/// of the package's targets (or of the targets given with `--target NAME`), after checking
/// each change against the lock it replaces. `--force` writes over refused changes, for
/// schemas no log has used yet.
///
/// SwiftPM asks before a plugin writes into the package; pass
/// `--allow-writing-to-package-directory` to allow it without the question.
@main
struct ChronicleLockPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let chosen = Set(extractor.extractOption(named: "target"))
        let force = extractor.extractFlag(named: "force") > 0
        let tool = try context.tool(named: "ChroniclePluginTool")
        var locked = 0
        for target in context.package.targets {
            guard let target = target as? SourceModuleTarget, chosen.isEmpty || chosen.contains(target.name) else { continue }
            let schemas = target.sourceFiles.map(\.url)
                .filter { $0.lastPathComponent.hasSuffix(".chronicle.yaml") || $0.lastPathComponent.hasSuffix(".chronicle.yml") }
                .sorted { $0.path < $1.path }
            guard !schemas.isEmpty else { continue }
            let process = Process()
            process.executableURL = tool.url
            process.arguments = ["lock", "--module", target.name] + (force ? ["--force"] : []) + schemas.map(\.path)
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                Diagnostics.error("the schemas of \(target.name) were not locked (see the errors above)")
                throw LockFailure(target: target.name)
            }
            locked += 1
        }
        if locked == 0 { Diagnostics.warning("no target has *.chronicle.yaml schemas\(chosen.isEmpty ? "" : " among \(chosen.sorted().joined(separator: ", "))")") }
    }

    struct LockFailure: Error, CustomStringConvertible {
        var target: String
        var description: String { "locking the schemas of \(target) failed" }
    }
}

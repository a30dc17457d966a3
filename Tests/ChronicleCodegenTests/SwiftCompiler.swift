import ChronicleCodegen
import Foundation
import TestSupport

/// Type-checks generated code with the toolchain's `swiftc` against the Chronicle module this
/// test run was built with: how generator tests prove that output compiles, without warnings.
enum SwiftCompiler {
    struct Outcome {
        var status: Int32
        /// The compiler's diagnostics, as it printed them.
        var output: String

        var lines: [String] { output.split(separator: "\n").map(String.init) }
        var errors: [String] { lines.filter { $0.contains(": error: ") } }
        var warnings: [String] { lines.filter { $0.contains(": warning: ") } }
        /// Compiled, and said nothing at all about it.
        var isClean: Bool { status == 0 && errors.isEmpty && warnings.isEmpty }
    }

    /// The build folder of this test run (`.build/<triple>/debug`).
    static var buildFolder: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    static var swiftc: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        return path.split(separator: ":").map { "\($0)/swiftc" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Type-checks `files` (and any extra sources, by name) as one module.
    static func typecheck(_ files: [GeneratedFile], module: String, extra: [String: String] = [:]) async throws -> Outcome {
        guard let swiftc else { throw CompilerMissing() }
        let folder = try TemporaryFolder()
        var paths: [String] = []
        for file in files {
            try file.contents.write(toFile: folder.sub(file.name), atomically: true, encoding: .utf8)
            paths.append(folder.sub(file.name))
        }
        for (name, text) in extra.sorted(by: { $0.key < $1.key }) {
            try text.write(toFile: folder.sub(name), atomically: true, encoding: .utf8)
            paths.append(folder.sub(name))
        }
        let build = buildFolder
        let arguments = [
            "-typecheck", "-swift-version", "6", "-module-name", module,
            "-I", build.appendingPathComponent("Modules").path,
            "-Xcc", "-fmodule-map-file=" + build.appendingPathComponent("CChronicleCRC.build/module.modulemap").path,
        ] + paths
        let outcome = try await CLIProcess.run(arguments, in: folder, executable: swiftc)
        return Outcome(status: outcome.status, output: outcome.stdout + outcome.stderr)
    }

    struct CompilerMissing: Error, CustomStringConvertible {
        var description: String { "swiftc is not on PATH" }
    }
}

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
        var arguments = [
            "-typecheck", "-swift-version", "6", "-module-name", module,
            "-I", build.appendingPathComponent("Modules").path,
        ]
        for map in moduleMaps { arguments += ["-Xcc", "-fmodule-map-file=" + map] }
        arguments += paths
        let outcome = try await CLIProcess.run(arguments, in: folder, executable: swiftc)
        return Outcome(status: outcome.status, output: outcome.stdout + outcome.stderr)
    }

    /// The C modules the built Swift modules import (the runtime's CRC, and what postgres-nio
    /// brings): the maps SwiftPM wrote beside their builds, and the packages' own.
    static var moduleMaps: [String] {
        let files = FileManager.default
        let build = buildFolder
        var maps = ((try? files.contentsOfDirectory(atPath: build.path)) ?? []).sorted()
            .filter { $0.hasSuffix(".build") && !$0.hasSuffix("-tool.build") }
            .map { build.appendingPathComponent($0).appendingPathComponent("module.modulemap").path }
            .filter { files.fileExists(atPath: $0) }
        // `.build/<triple>/debug` → `.build/checkouts`.
        let checkouts = build.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("checkouts")
        for package in ((try? files.contentsOfDirectory(atPath: checkouts.path)) ?? []).sorted() {
            let sources = checkouts.appendingPathComponent(package).appendingPathComponent("Sources")
            for target in ((try? files.contentsOfDirectory(atPath: sources.path)) ?? []).sorted() {
                let map = sources.appendingPathComponent(target).appendingPathComponent("include/module.modulemap").path
                if files.fileExists(atPath: map) { maps.append(map) }
            }
        }
        return maps
    }

    struct CompilerMissing: Error, CustomStringConvertible {
        var description: String { "swiftc is not on PATH" }
    }
}

import ChronicleCodegen
#if canImport(Glibc)
import Glibc
#endif

/// The tool the plugins run: `generate --module M --output DIR [--templates DIR] SCHEMA…`, the
/// same as `chronicle generate`, for the build plugin, and `lock --module M [--force] SCHEMA…`,
/// the same as `chronicle lock`, for the `chronicle-lock` command plugin. It links the generator
/// alone (no runtime, no argument parser), so that a package that uses the plugins compiles
/// little for its host.
@main
enum PluginToolMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "lock", let job = parseLock(arguments) {
            let outcome = job.run()
            for message in outcome.messages { print(error: message) }
            for path in outcome.changed { print(error: "wrote \(path)\n") }
            exit(outcome.succeeded ? 0 : 1)
        }
        guard let job = parse(arguments) else {
            print(error: "usage: ChroniclePluginTool generate --module NAME --output DIR [--templates DIR] SCHEMA...\n"
                + "       ChroniclePluginTool lock --module NAME [--force] SCHEMA...\n")
            exit(64)
        }
        let outcome = job.run()
        for message in outcome.messages { print(error: message) }
        exit(outcome.succeeded ? 0 : 1)
    }

    static func parseLock(_ arguments: [String]) -> LockJob? {
        var module: String?
        var force = false
        var schemas: [String] = []
        var index = 1
        while index < arguments.count {
            switch arguments[index] {
            case "--module":
                guard index + 1 < arguments.count else { return nil }
                module = arguments[index + 1]
                index += 2
            case "--force":
                force = true
                index += 1
            default:
                schemas.append(arguments[index])
                index += 1
            }
        }
        guard let module, !schemas.isEmpty else { return nil }
        return LockJob(module: module, schemas: schemas, force: force)
    }

    static func parse(_ arguments: [String]) -> GenerationJob? {
        guard arguments.first == "generate" else { return nil }
        var module: String?, output: String?, templates: String?
        var schemas: [String] = []
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--module", "--output", "--templates":
                guard index + 1 < arguments.count else { return nil }
                let value = arguments[index + 1]
                if argument == "--module" { module = value } else if argument == "--output" { output = value } else { templates = value }
                index += 2
            default:
                schemas.append(argument)
                index += 1
            }
        }
        guard let module, let output else { return nil }
        var job = GenerationJob(module: module, output: output, templates: templates, schemas: schemas)
        // The process ends after this one run: its end frees the trees at once.
        job.freesIntermediates = false
        return job
    }

    /// Writes to standard error, all of it (a build log must not lose a diagnostic).
    static func print(error text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

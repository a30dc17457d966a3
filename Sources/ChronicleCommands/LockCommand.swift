import ArgumentParser
import ChronicleCodegen
import ChronicleTerminal
import Foundation

/// `chronicle lock`: writes each schema's lock file, after checking the change against the lock
/// it replaces.
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Write the lock file beside each schema (NAME.chronicle.lock): what existing logs depend on.",
        discussion: """
            The build compares each schema with its lock and fails on changes that would make \
            existing logs unreadable or change their meaning. This command checks the schemas \
            the same way, then writes each lock that changed (commit them with the schemas). \
            Problems are printed as path:line:column: error: message, with notes saying how to \
            evolve instead, and nothing is written. Give all the schemas of one module.

            Exit status: 0 when the locks are written (or, with --check, up to date); 1 on a \
            schema problem, a refused change or, with --check, a missing or stale lock.
            """
    )

    @Option(help: "The Swift module the schemas generate into (default: the first schema's folder name).")
    var module: String?

    @Flag(help: "Write the locks even over changes the check refuses: for schemas no log has used yet.")
    var force = false

    @Flag(help: "Write nothing; fail when a lock is missing or differs from the schemas (for CI).")
    var check = false

    @Argument(help: "The schema files of one module.")
    var schemas: [String]

    func validate() throws {
        if schemas.isEmpty { throw ValidationError("give the schema files of one module") }
    }

    func run() throws {
        let first = URL(fileURLWithPath: schemas.first ?? ".")
        // A folder name that is no Swift type name (`schemas`, `my-app`) gives a neutral one.
        let folder = first.deletingLastPathComponent().lastPathComponent
        let capitalized = folder.prefix(1).uppercased() + folder.dropFirst()
        let module = self.module ?? (capitalized.allSatisfy { $0.isLetter || $0.isNumber } && capitalized.first?.isLetter == true ? capitalized : "Module")
        let outcome = LockJob(module: module, schemas: schemas, force: force, checkOnly: check).run()
        for message in outcome.messages { Output.error(message) }
        guard outcome.succeeded else { throw ExitCode(1) }
        if !check {
            for path in outcome.changed { try Output.write("wrote \(path)\n") }
        }
    }
}

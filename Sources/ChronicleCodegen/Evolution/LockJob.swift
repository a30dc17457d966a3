import Foundation

/// One run of the lock command on files: what `chronicle lock` and `swift package
/// chronicle-lock` do.
///
/// It reads the module's schemas and their current locks, checks each schema against its lock
/// (unless `force`), and writes each `NAME.chronicle.lock` beside its schema when it changed.
/// With `checkOnly`, it writes nothing and fails when a lock is missing or out of date: a
/// pipeline's way to insist that the committed locks match the schemas.
public struct LockJob: Sendable {
    /// The Swift module the schemas generate into (it matters to the names the checker allows).
    public var module: String
    /// The schema files.
    public var schemas: [String]
    /// Writes the locks even over changes the check refuses: for a schema no log has used yet.
    public var force: Bool
    /// Writes nothing; fails when a lock is missing or differs from what it would write.
    public var checkOnly: Bool

    /// Creates a job.
    public init(module: String, schemas: [String], force: Bool = false, checkOnly: Bool = false) {
        self.module = module
        self.schemas = schemas
        self.force = force
        self.checkOnly = checkOnly
    }

    /// What a job did.
    public struct Outcome: Sendable {
        /// Whether the locks are (or, with `checkOnly`, were found) up to date.
        public var succeeded: Bool
        /// Compiler-style problems, each ending in a newline.
        public var messages: [String]
        /// The lock files written (or, with `checkOnly`, that would be).
        public var changed: [String]
    }

    /// Runs the job.
    public func run() -> Outcome {
        let (sources, problems) = SchemaSource.read(schemas, withLocks: true)
        var messages = problems
        guard messages.isEmpty else { return Outcome(succeeded: false, messages: messages, changed: []) }
        let result = Generator(moduleName: module).locks(sources, force: force)
        messages += result.diagnostics.map { $0.description + "\n" }
        guard result.succeeded else { return Outcome(succeeded: false, messages: messages, changed: []) }
        var changed: [String] = []
        for file in result.files {
            if (try? String(contentsOfFile: file.path, encoding: .utf8)) == file.text { continue }
            changed.append(file.path)
            if checkOnly {
                let exists = FileManager.default.fileExists(atPath: file.path)
                messages.append("\(file.path):1:1: error: \(exists ? "the lock does not match its schema" : "the schema has no lock"); run 'chronicle lock' (or 'swift package chronicle-lock') and commit it\n")
                continue
            }
            do {
                try file.text.write(toFile: file.path, atomically: true, encoding: .utf8)
            } catch {
                messages.append("\(file.path):1:1: error: cannot write the lock file: \(error.localizedDescription)\n")
                return Outcome(succeeded: false, messages: messages, changed: changed)
            }
        }
        return Outcome(succeeded: !(checkOnly && !changed.isEmpty), messages: messages, changed: changed)
    }
}

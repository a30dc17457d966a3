import ArgumentParser
import ChronicleTerminal
import Chronicle

/// `chronicle verify`: check every record of a store or backup.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record of a store's log.",
        discussion: """
            Exits 0 when every record is intact; 1 when the log is damaged, naming the file and byte \
            offset; 3 when the log ends with a torn tail (an unfinished write that the next writer \
            cuts off; while a writer runs, its write in progress can show as one).
            """
    )

    @Argument(help: "The store's folder.")
    var store: String

    func run() async throws {
        let bar = ProgressBar(title: "verify")
        let report = try LogVerifier.verify(storeAt: store) { bar.update($0, of: $1) }
        bar.finish()
        if let damage = report.damage {
            Output.error("\(damage.file):\(damage.offset): error: damaged log: \(damage.reason)\n")
            throw ExitCode(1)
        }
        // A backup also carries a manifest of what each segment held.
        let problems = try StoreBackup.manifestProblems(backupAt: store)
        for problem in problems { Output.error("error: backup manifest: \(problem)\n") }
        if !problems.isEmpty { throw ExitCode(1) }
        try Output.write("verified \(report.records) records, \(report.events) events, \(report.segments) segments, \(report.bytes) bytes\n")
        if let torn = report.tornTail {
            Output.error("\(torn.file):\(torn.offset): warning: torn tail of \(torn.length) bytes (an unfinished write; the next writer cuts it off)\n")
            throw ExitCode(3)
        }
    }
}

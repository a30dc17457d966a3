import ArgumentParser
import ChronicleTerminal
import Chronicle
import ChroniclePostgres

/// `chronicle verify`: check every record of a store or backup.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record of a store's log.",
        discussion: """
            Exits 0 when every record is intact; 1 when the log is damaged, naming the file and byte \
            offset; 3 when the log ends with a torn tail (an unfinished write that the next writer \
            cuts off; while a writer runs, its write in progress can show as one). For a \
            PostgreSQL store (a postgres:// URL): 0 when the tables hold a consistent log, 1 \
            naming the first inconsistency (a gap in the positions or a stream's versions, a \
            stream version the streams table disagrees with, a time that goes back, an event \
            that does not read).
            """
    )

    @Argument(help: "The store: its folder (or a backup's), or a postgres:// URL.")
    var store: String

    func run() async throws {
        if OpenedStore.isPostgres(store) {
            try await verifyPostgres()
            return
        }
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

    private func verifyPostgres() async throws {
        let opened = try await OpenedStore.open(store, readOnly: true)
        let report: PostgresVerificationReport?
        do {
            let bar = ProgressBar(title: "verify")
            report = try await opened.postgres?.verify { bar.update($0, of: $1) }
            bar.finish()
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
        guard let report else { return }
        if let problem = report.problem {
            Output.error("\(opened.name): error: inconsistent log: \(problem)\n")
            throw ExitCode(1)
        }
        try Output.write("verified \(report.events) events in \(report.streams) streams\n")
    }
}

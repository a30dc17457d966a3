import ArgumentParser
import ChronicleTerminal
import Chronicle

/// `chronicle backup`: an online, consistent, incremental backup.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up a store's log while it is in use.",
        discussion: """
            DEST becomes a store folder holding the log up to the last position committed when the \
            backup started, with a manifest of checksums. Backing up to the same DEST again copies \
            only what changed: sealed segments already there are kept. Views are not backed up; \
            they are rebuilt from the log.
            """
    )

    @Argument(help: "The store's folder.") var store: String
    @Argument(help: "The backup's folder (new, empty, or an earlier backup).") var destination: String
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        let bar = ProgressBar(title: "backup")
        let report = try StoreBackup.backup(storeAt: store, to: destination) { bar.update($0, of: $1) }
        bar.finish()
        if json {
            var object = JSONText()
            object.number("lastPosition", report.lastPosition)
            object.number("copiedSegments", report.copiedSegments)
            object.number("skippedSegments", report.skippedSegments)
            object.number("copiedBytes", report.copiedBytes)
            try Output.write(object.finished() + "\n")
        } else {
            try Output.write("backed up to position \(report.lastPosition): \(report.copiedSegments) segments copied (\(report.copiedBytes) bytes), \(report.skippedSegments) unchanged\n")
        }
    }
}

/// `chronicle restore`: a backup back into a store folder.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into a new store folder, after verifying it.",
        discussion: "STORE must not exist or be empty. The backup is checked first against its manifest (which must be there), every record verified; the store is built in STORE.restoring and renamed into place, so a restore that is killed leaves nothing at STORE and can simply be run again. Views of the old log are rebuilt when the application opens the restored one."
    )

    @Argument(help: "The backup's folder.") var backup: String
    @Argument(help: "The store folder to create.") var store: String

    func run() async throws {
        let bar = ProgressBar(title: "restore")
        let events = try StoreBackup.restore(backupAt: backup, to: store) { bar.update($0, of: $1) }
        bar.finish()
        try Output.write("restored \(events) events into \(store)\n")
    }
}

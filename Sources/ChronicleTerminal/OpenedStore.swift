import Chronicle
import ChroniclePostgres
import Foundation

/// A store the tools opened from a `--store` argument or a `STORE` argument: a flat-file
/// store's folder, or a `postgres://` URL (see ``PostgresLocation``). A URL is never taken for
/// a folder: a folder whose name starts with `postgres://` is written `./postgres://…`.
///
/// With the store come its snapshots and its command audit log, where that kind of store keeps
/// them: in the store's folder, or in tables beside the log.
public struct OpenedStore: Sendable {
    /// The event store.
    public let store: any EventStore
    /// Its snapshots.
    public let snapshots: any SnapshotStore
    /// Its command audit log (`nil` for a read-only flat-file store, which writes nothing).
    public let audit: (any AuditRecorder)?
    /// The flat-file store, when it is one (backup, verification and statistics read its files).
    public let flatFile: FlatFileEventStore?
    /// The PostgreSQL store, when it is one.
    public let postgres: PostgresEventStore?
    /// What messages call it: the folder, or the URL without its password.
    public let name: String

    /// Whether `argument` names a PostgreSQL store rather than a folder.
    public static func isPostgres(_ argument: String) -> Bool { PostgresLocation.isURL(argument) }

    /// Opens the store `argument` names.
    /// - Parameters:
    ///   - readOnly: open for reading; a flat-file store is then not created when missing.
    ///   - flatFileOptions: options for a flat-file store (its `readOnly` is set from `readOnly`).
    public static func open(
        _ argument: String, readOnly: Bool = false, clock: any WallClock = SystemWallClock(),
        flatFileOptions: FlatFileStoreOptions = FlatFileStoreOptions()
    ) async throws -> OpenedStore {
        if PostgresLocation.isURL(argument) {
            let store = try await PostgresEventStore.open(try PostgresLocation(url: argument), options: PostgresStoreOptions(clock: clock, readOnly: readOnly))
            return OpenedStore(store: store, snapshots: PostgresSnapshotStore(store: store), audit: PostgresAuditLog(store: store),
                               flatFile: nil, postgres: store, name: store.location.description)
        }
        var options = flatFileOptions
        options.clock = clock
        if readOnly {
            options.readOnly = true
            options.createIfMissing = false
        }
        let store = try FlatFileEventStore(path: argument, options: options)
        do {
            let audit = readOnly ? nil : try AuditLog(store: store)
            return OpenedStore(store: store, snapshots: FlatFileSnapshotStore(store: store), audit: audit, flatFile: store, postgres: nil, name: argument)
        } catch {
            await store.close()
            throw error
        }
    }

    /// The store's audit log for reading: the files of a flat-file store's folder (also when it
    /// is opened by a writer elsewhere), or the table of a PostgreSQL store.
    public static func auditEntries(of argument: String, since: Date?, rejectedOnly: Bool) async throws -> [AuditEntry] {
        if PostgresLocation.isURL(argument) {
            let opened = try await open(argument, readOnly: true)
            do {
                let entries = try await opened.audit?.entries(since: since, rejectedOnly: rejectedOnly) ?? []
                await opened.close()
                return entries
            } catch {
                await opened.close()
                throw error
            }
        }
        return try AuditLog.entries(in: AuditLog.folder(ofStore: argument), since: since, rejectedOnly: rejectedOnly)
    }

    /// Finishes queued writes and releases the store.
    public func close() async {
        if let flatFile { await flatFile.close() }
        if let postgres { await postgres.close() }
    }
}

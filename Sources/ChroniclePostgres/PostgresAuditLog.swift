import Chronicle
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The command audit log in the `audit` table of a ``PostgresEventStore``'s schema: one row per
/// command, accepted or not, from every application server, with the entry as JSON (the same
/// as the flat-file audit log's lines) and columns to query by time, command and outcome.
///
/// As with the files, the audit log is a record for people: a failed write is reported once on
/// standard error and never fails the command.
public final class PostgresAuditLog: AuditRecorder {
    private let store: PostgresEventStore
    private let failed = Atomic(false)

    /// The audit log of `store`.
    public init(store: PostgresEventStore) {
        self.store = store
    }

    public func write(_ entry: AuditEntry) async {
        guard !store.isReadOnly else { return }
        do {
            let line = try entry.jsonLine()
            try await store.run("write the audit log") {
                try await self.store.client.query("""
                    INSERT INTO \(unescaped: self.store.tables.audit) (at, command_id, command, recorded_nothing, entry)
                    VALUES (\(entry.at), \(entry.commandID), \(entry.command), \(entry.outcome.recordedNothing), \(line)::json)
                    """)
            }
            failed.store(false, ordering: .relaxed)
        } catch {
            if !failed.exchange(true, ordering: .relaxed) {
                FileHandle.standardError.write(Data("chronicle: audit log: \(error)\n".utf8))
            }
        }
    }

    public func entries(since: Date?, rejectedOnly: Bool) async throws -> [AuditEntry] {
        try await store.run("read the audit log") {
            var lines: [String] = []
            let rows = try await self.store.client.query("""
                SELECT entry::text FROM \(unescaped: self.store.tables.audit)
                WHERE (\(since)::timestamptz IS NULL OR at >= \(since)) AND (NOT \(rejectedOnly) OR recorded_nothing)
                ORDER BY sequence
                """)
            for try await line in rows.decode(String.self) { lines.append(line) }
            return try lines.map { try AuditEntry(jsonLine: $0) }
        }
    }
}

import Chronicle
import Foundation
import PostgresNIO

/// Views kept in PostgreSQL, beside the log: one table per view, `view_NAME` in the store's
/// schema, with one row per view row — `key` (the row's id as text; empty for a view with a
/// single row), `row` (the row as `jsonb`), and a text column for each indexed field, named
/// after it (`field_key` and `field_row` for fields named `key` or `row`) and indexed. The
/// `views` table says which definition (fingerprint) and log position each table reflects.
///
/// Read sides on other machines share these tables, and other programs query them with SQL:
///
/// ```sql
/// SELECT row->>'owner', (row->>'balance')::bigint FROM chronicle."view_AccountSummary" WHERE owner = 'Ada';
/// ```
///
/// Each save sends the whole view and changes only the rows that differ, in one transaction.
/// Read sides that save the same view keep the copy of the furthest position. A view whose
/// definition changed gets its table dropped and made again at its next save.
public struct PostgresViewStorage: ViewStorage {
    private let store: PostgresEventStore

    /// The views of `store`, in its schema.
    public init(store: PostgresEventStore) {
        self.store = store
    }

    public func load(_ name: String, indexedFields: [String]) async throws -> StoredView? {
        let tables = store.tables
        return try await store.run("load view \(name)") {
            try await store.client.withTransaction(logger: store.logger) { connection in
                // The row and the table read in one snapshot.
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: store.logger)
                let found = try await connection.query(
                    "SELECT fingerprint, position, last_event_id, single_row FROM \(unescaped: tables.views) WHERE name = \(name)", logger: store.logger)
                    .collect().first?.decode((String, Int64, UUID?, Bool).self)
                guard let (fingerprint, position, eventID, singleRow) = found else { return nil }
                let table = tables.viewTable(name)
                let sql = singleRow
                    ? "SELECT coalesce((SELECT jsonb_build_object('row', row) FROM \(table) WHERE key = ''), '{}'::jsonb)::text"
                    : "SELECT coalesce(jsonb_agg(row ORDER BY key), '[]'::jsonb)::text FROM \(table)"
                let body = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: store.logger).collect().first?.decode(String.self) ?? ""
                return StoredView(name: name, fingerprint: fingerprint, position: position, lastEventID: eventID, body: Array(body.utf8))
            }
        }
    }

    public func save(_ view: StoredView, indexedFields: [String]) async throws {
        // Also for a store opened read-only: the views are the read side's, not the log.
        let tables = store.tables
        let singleRow = view.body.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == UInt8(ascii: "{")
        let body = String(decoding: view.body, as: UTF8.self)
        try await store.run("save view \(view.name)") {
            try await store.client.withTransaction(logger: store.logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("chronicle-view:\(tables.schema).\(view.name)")))", logger: store.logger)
                let stored = try await connection.query(
                    "SELECT fingerprint, position, single_row, indexed_fields FROM \(unescaped: tables.views) WHERE name = \(view.name)", logger: store.logger)
                    .collect().first?.decode((String, Int64, Bool, [String]).self)
                // Another read side saved a later copy: keep it.
                if let stored, stored.0 == view.fingerprint, stored.1 > view.position { return }
                let table = tables.viewTable(view.name)
                let columns = indexedFields.map(Self.column)
                if stored == nil || stored?.0 != view.fingerprint || stored?.2 != singleRow || stored?.3 != indexedFields {
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \(table)"), logger: store.logger)
                    let definitions = ["key text PRIMARY KEY", "row jsonb NOT NULL"] + columns.map { "\(PostgresTables.quoted($0)) text" }
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (\(definitions.joined(separator: ", ")))"), logger: store.logger)
                    for column in columns {
                        let index = PostgresTables.quoted(String("\(view.name)_\(column)".prefix(50)) + "_idx")
                        try await connection.query(PostgresQuery(unsafeSQL: "CREATE INDEX \(index) ON \(table) (\(PostgresTables.quoted(column)))"), logger: store.logger)
                    }
                }
                // The new rows, split by PostgreSQL from the view's JSON.
                let rows = singleRow
                    ? "SELECT '' AS key, ($1::jsonb)->'row' AS row"
                    : "SELECT e->>'id' AS key, e AS row FROM jsonb_array_elements($1::jsonb) AS e"
                var binds = PostgresBindings()
                binds.append(body)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    CREATE TEMPORARY TABLE chronicle_new_rows ON COMMIT DROP AS \(rows)
                    """, binds: binds), logger: store.logger)
                try await connection.query(PostgresQuery(unsafeSQL: """
                    DELETE FROM \(table) t WHERE NOT EXISTS (SELECT 1 FROM chronicle_new_rows n WHERE n.key = t.key)
                    """), logger: store.logger)
                let names = ["key", "row"] + columns.map(PostgresTables.quoted)
                let values = ["n.key", "n.row"] + indexedFields.map { "n.row->>\(Self.literal($0))" }
                let updates = names.dropFirst().map { "\($0) = excluded.\($0)" }
                try await connection.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(table) (\(names.joined(separator: ", ")))
                    SELECT \(values.joined(separator: ", ")) FROM chronicle_new_rows n
                    ON CONFLICT (key) DO UPDATE SET \(updates.joined(separator: ", ")) WHERE \(table).row IS DISTINCT FROM excluded.row
                    """), logger: store.logger)
                try await connection.query("""
                    INSERT INTO \(unescaped: tables.views) (name, fingerprint, position, last_event_id, single_row, indexed_fields, saved_at)
                    VALUES (\(view.name), \(view.fingerprint), \(view.position), \(view.lastEventID), \(singleRow), \(indexedFields), now())
                    ON CONFLICT (name) DO UPDATE SET fingerprint = excluded.fingerprint, position = excluded.position,
                        last_event_id = excluded.last_event_id, single_row = excluded.single_row,
                        indexed_fields = excluded.indexed_fields, saved_at = excluded.saved_at
                    """, logger: store.logger)
            }
        }
    }

    /// An indexed field's column: its name, unless that is one of the table's own.
    static func column(_ field: String) -> String {
        field == "key" || field == "row" ? "field_" + field : field
    }

    /// `text` as an SQL string literal.
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

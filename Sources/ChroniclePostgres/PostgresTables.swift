import PostgresNIO

/// The store's tables in its PostgreSQL schema, and the statements that create them.
///
/// - `store`: one row per property; `format` is the tables' layout version (now 1).
/// - `events`: the log, one row per event, keyed by its global position; `(stream,
///   stream_version)` is unique.
/// - `streams`: each stream's current version, what optimistic concurrency checks.
/// - `batches`: the idempotency keys of batches that had one, with the positions they took.
/// - `snapshots`: each stream's latest snapshot (``PostgresSnapshotStore``).
/// - `audit`: the command audit log (``PostgresAuditLog``), one JSON entry per command.
/// - `views`: each view kept by ``PostgresViewStorage`` (definition, position, last event), with
///   its rows in a table of its own, `view_NAME`.
struct PostgresTables: Sendable {
    /// The layout this version reads and writes.
    static let format = "1"

    let schema: String

    init(schema: String) { self.schema = schema }

    var store: String { "\"\(schema)\".store" }
    var events: String { "\"\(schema)\".events" }
    var streams: String { "\"\(schema)\".streams" }
    var batches: String { "\"\(schema)\".batches" }
    var snapshots: String { "\"\(schema)\".snapshots" }
    var audit: String { "\"\(schema)\".audit" }
    var views: String { "\"\(schema)\".views" }

    /// The table of a view's rows: `view_NAME`, or, for a name too long for PostgreSQL's 63
    /// bytes, its start and a hash of the whole.
    func viewTable(_ name: String) -> String {
        var table = "view_" + name
        if table.utf8.count > 63 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            let hex = String(hash, radix: 16)
            table = "view_" + String(decoding: Array(name.utf8.prefix(36)), as: UTF8.self) + "_" + hex
        }
        return "\"\(schema)\"." + Self.quoted(table)
    }

    /// `name` as a quoted identifier.
    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    /// The channel appends notify on, with the log's new last position as the payload.
    var channel: String { "chronicle_\(schema)" }
    /// The advisory lock that serialises this store's appends, across processes.
    var lockName: String { "chronicle:\(schema)" }

    /// The statements that create the schema's tables, run once in one transaction.
    var creation: [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS \"\(schema)\"",
            "CREATE TABLE \(store) (key text PRIMARY KEY, value text NOT NULL)",
            """
            CREATE TABLE \(events) (
                position bigint PRIMARY KEY,
                id uuid NOT NULL,
                stream text NOT NULL,
                stream_version bigint NOT NULL,
                type text NOT NULL,
                schema_version integer NOT NULL,
                recorded_at_ns bigint NOT NULL,
                correlation_id uuid,
                causation_id uuid,
                actor text,
                metadata json NOT NULL,
                payload bytea NOT NULL,
                UNIQUE (stream, stream_version)
            )
            """,
            "CREATE INDEX events_by_id ON \(events) (id)",
            "CREATE INDEX events_by_time ON \(events) (recorded_at_ns, position)",
            "CREATE TABLE \(streams) (stream text PRIMARY KEY, version bigint NOT NULL)",
            """
            CREATE TABLE \(batches) (
                idempotency_key uuid PRIMARY KEY,
                first_position bigint NOT NULL,
                last_position bigint NOT NULL,
                recorded_at_ns bigint NOT NULL
            )
            """,
            """
            CREATE TABLE \(snapshots) (
                stream text PRIMARY KEY,
                version bigint NOT NULL,
                fingerprint text NOT NULL,
                event_id uuid,
                state bytea NOT NULL
            )
            """,
            """
            CREATE TABLE \(audit) (
                sequence bigserial PRIMARY KEY,
                at timestamptz NOT NULL,
                command_id uuid NOT NULL,
                command text NOT NULL,
                recorded_nothing boolean NOT NULL,
                entry json NOT NULL
            )
            """,
            "CREATE INDEX audit_by_time ON \(audit) (at)",
            """
            CREATE TABLE \(views) (
                name text PRIMARY KEY,
                fingerprint text NOT NULL,
                position bigint NOT NULL,
                last_event_id uuid,
                single_row boolean NOT NULL,
                indexed_fields text[] NOT NULL,
                saved_at timestamptz NOT NULL
            )
            """,
            "INSERT INTO \(store) (key, value) VALUES ('format', '\(Self.format)')",
        ]
    }

    /// The columns a `RecordedEvent` is read from, in order.
    static let eventColumns =
        "position, id, stream, stream_version, type, schema_version, recorded_at_ns, correlation_id, causation_id, actor, metadata::text, payload"
}

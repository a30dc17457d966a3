import Chronicle
import Foundation
import NIOCore
import PostgresNIO

/// Snapshots in the `snapshots` table of a ``PostgresEventStore``'s schema, one row per stream,
/// so that every application server loads from the same ones. Saving replaces the row.
public struct PostgresSnapshotStore: SnapshotStore {
    private let store: PostgresEventStore

    /// The snapshots of `store`.
    public init(store: PostgresEventStore) {
        self.store = store
    }

    public func load(stream: StreamID) async throws -> Snapshot? {
        try await store.run("load a snapshot") {
            let row = try await store.client.query(
                "SELECT version, fingerprint, event_id, state FROM \(unescaped: store.tables.snapshots) WHERE stream = \(stream.name)")
                .collect().first?.decode((Int64, String, UUID?, ByteBuffer).self)
            guard let (version, fingerprint, eventID, state) = row else { return nil }
            return Snapshot(version: version, fingerprint: fingerprint, state: Array(state.readableBytesView), eventID: eventID)
        }
    }

    public func save(_ snapshot: Snapshot, stream: StreamID) async throws {
        guard !store.isReadOnly else { return }
        try await store.run("save a snapshot") {
            try await store.client.query("""
                INSERT INTO \(unescaped: store.tables.snapshots) (stream, version, fingerprint, event_id, state)
                VALUES (\(stream.name), \(snapshot.version), \(snapshot.fingerprint), \(snapshot.eventID), \(ByteBuffer(bytes: snapshot.state)))
                ON CONFLICT (stream) DO UPDATE SET version = excluded.version, fingerprint = excluded.fingerprint,
                    event_id = excluded.event_id, state = excluded.state
                """)
        }
    }
}

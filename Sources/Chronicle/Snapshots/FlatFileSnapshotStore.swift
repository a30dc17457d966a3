import Foundation

/// Snapshots as files in a folder of the write side, one per stream:
/// a header line `chronicle-snapshot 2 VERSION FINGERPRINT EVENTID CRC32C`, then the state's
/// JSON. The checksum covers the header and the state: a file that is torn, damaged or edited
/// fails it, and ``load(stream:)`` throws a ``SnapshotError`` (the processor warns, loads from the
/// events and replaces the file with its next snapshot).
public struct FlatFileSnapshotStore: SnapshotStore {
    /// The folder.
    public let folder: String

    /// Creates a snapshot store in `folder` (created when needed).
    public init(folder: String) {
        self.folder = folder
    }

    /// The snapshot folder of a flat-file store (`STORE/snapshots`).
    public init(store: FlatFileEventStore) {
        self.init(folder: store.path + "/snapshots")
    }

    /// Reads the stream's snapshot file, on the runtime's I/O threads.
    public func load(stream: StreamID) async throws -> Snapshot? {
        try await BlockingIOPool.shared.run { try self.loadNow(stream: stream) }
    }

    /// Writes the stream's snapshot file (atomically, not flushed), on the runtime's I/O threads.
    public func save(_ snapshot: Snapshot, stream: StreamID) async throws {
        try await BlockingIOPool.shared.run { try self.saveNow(snapshot, stream: stream) }
    }

    private func loadNow(stream: StreamID) throws -> Snapshot? {
        let path = path(for: stream)
        switch ChecksummedFile.read(path, magic: "chronicle-snapshot", fieldCount: 4) {
        case .missing:
            return nil
        case .damaged(let reason):
            throw SnapshotError(file: path, reason: reason)
        case .intact(let fields, let body):
            guard fields[0] == "2" else { throw SnapshotError(file: path, reason: "format \(fields[0]) is not known") }
            guard let version = Int64(fields[1]), version >= 0 else { throw SnapshotError(file: path, reason: "the version is not a number") }
            let eventID = fields[3] == "-" ? nil : UUID(uuidString: fields[3])
            guard fields[3] == "-" || eventID != nil else { throw SnapshotError(file: path, reason: "the event id is not a UUID") }
            return Snapshot(version: version, fingerprint: fields[2], state: body, eventID: eventID)
        }
    }

    private func saveNow(_ snapshot: Snapshot, stream: StreamID) throws {
        // Not flushed: a snapshot lost in a crash only costs a longer load.
        try ChecksummedFile.write(path(for: stream), magic: "chronicle-snapshot",
                                  fields: ["2", String(snapshot.version), snapshot.fingerprint, snapshot.eventID?.uuidString ?? "-"],
                                  body: snapshot.state, durable: false)
    }

    /// A file name for any stream name: letters, digits, `-` and `_` as they are, other bytes as `%XX`.
    private func path(for stream: StreamID) -> String {
        var name = ""
        for byte in stream.name.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x5F {
                name.unicodeScalars.append(UnicodeScalar(byte))
            } else {
                name += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return folder + "/" + name + ".snapshot"
    }
}

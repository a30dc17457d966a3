import Foundation

/// Snapshots as files in a folder of the write side, one per stream:
/// a header line `chronicle-snapshot 1 VERSION FINGERPRINT CRC32C`, then the state's JSON.
/// A file that is torn or damaged fails its checksum and is ignored.
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

    public func load(stream: StreamID) throws -> Snapshot? {
        guard let (fields, body) = ChecksummedFile.read(path(for: stream), magic: "chronicle-snapshot", fieldCount: 3),
              fields[0] == "1", let version = Int64(fields[1]) else { return nil }
        return Snapshot(version: version, fingerprint: fields[2], state: body)
    }

    public func save(_ snapshot: Snapshot, stream: StreamID) throws {
        // Not flushed: a snapshot lost in a crash only costs a longer load.
        try ChecksummedFile.write(path(for: stream), magic: "chronicle-snapshot", fields: ["1", String(snapshot.version), snapshot.fingerprint],
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

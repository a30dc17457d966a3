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
        guard let data = FileManager.default.contents(atPath: path(for: stream)),
              let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 5, header[0] == "chronicle-snapshot", header[1] == "1",
              let version = Int64(header[2]), let crc = UInt32(header[4]) else { return nil }
        let state = [UInt8](data[(newline + 1)...])
        guard CRC32C.checksum(state) == crc else { return nil }
        return Snapshot(version: version, fingerprint: String(header[3]), state: state)
    }

    public func save(_ snapshot: Snapshot, stream: StreamID) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var contents = Array("chronicle-snapshot 1 \(snapshot.version) \(snapshot.fingerprint) \(CRC32C.checksum(snapshot.state))\n".utf8)
        contents += snapshot.state
        // Written under a temporary name and renamed: readers see the old snapshot or the new one.
        let target = path(for: stream)
        try Data(contents).write(to: URL(fileURLWithPath: target), options: .atomic)
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

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

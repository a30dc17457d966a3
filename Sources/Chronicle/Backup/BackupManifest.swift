import Foundation

/// The manifest of a backup (`backup-manifest.json`): what each segment file held when copied.
public struct BackupManifest: Codable, Sendable, Hashable {
    /// One copied segment.
    public struct File: Codable, Sendable, Hashable {
        /// The segment's file name.
        public var name: String
        /// Its length.
        public var bytes: Int64
        /// CRC-32C of its bytes.
        public var crc32c: UInt32
        /// Whether it was sealed in the store: a later backup does not copy it again.
        public var sealed: Bool
    }

    /// The manifest's format.
    public var format = 1
    /// When the backup was taken.
    public var createdAt: Date
    /// The last position the backup holds: it is the log up to and including this position.
    public var lastPosition: Int64
    /// The segments.
    public var files: [File]

    static let fileName = "backup-manifest.json"
}

/// Damage found in a log: where, and what is wrong.
public struct LogDamage: Hashable, Sendable, CustomStringConvertible {
    /// The damaged file.
    public var file: String
    /// The byte offset where the damage starts.
    public var offset: Int64
    /// What is wrong.
    public var reason: String

    public var description: String { "\(file): byte offset \(offset): \(reason)" }
}

/// What ``LogVerifier/verify(storeAt:)`` found.
public struct VerificationReport: Hashable, Sendable {
    /// Segment files read.
    public var segments: Int
    /// Records (atomic batches) verified.
    public var records: Int
    /// Events verified.
    public var events: Int64
    /// Bytes of verified records, headers included.
    public var bytes: Int64
    /// An unfinished write at the end of the log, which the next writer cuts off.
    public var tornTail: TornTail?
    /// Damage that stops the log from opening.
    public var damage: LogDamage?

    /// Whether every byte of the log belongs to a valid record.
    public var isIntact: Bool { tornTail == nil && damage == nil }
}

/// Checks every record of a flat-file store without changing anything and without taking the
/// write lock (a writer may run meanwhile; its unfinished write then shows as a torn tail).
public enum LogVerifier {
    /// Verifies the store (or backup) in `path`.
    /// - Parameter progress: called with (bytes checked, bytes in all) after each segment.
    /// - Throws: when the folder is not a store or cannot be read; damage is reported, not thrown.
    public static func verify(storeAt path: String, progress: ((Int64, Int64) -> Void)? = nil) throws -> VerificationReport {
        let layout = StoreLayout(root: path)
        try layout.prepare(create: false)
        do {
            // Without the saved index: every record's contents are checked too.
            let loaded = try LogLoader.load(layout, writable: false, useSavedIndex: false, progress: progress)
            let index = loaded.index
            let bytes = loaded.tornTail == nil ? index.totalBytes : index.sealedBytes + (loaded.tornTail?.offset ?? 0)
            return VerificationReport(
                segments: index.segments.count, records: index.records.count, events: index.lastPosition,
                bytes: bytes, tornTail: loaded.tornTail, damage: nil)
        } catch let EventStoreError.corrupted(file, offset, reason) {
            return VerificationReport(
                segments: 0, records: 0, events: 0, bytes: 0, tornTail: nil,
                damage: LogDamage(file: file, offset: offset, reason: reason))
        }
    }
}

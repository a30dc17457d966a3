import Foundation

/// Figures about a flat-file log, from ``FlatFileEventStore/statistics()``.
public struct StoreStatistics: Hashable, Sendable, Codable {
    /// Events recorded.
    public var events: Int64
    /// Streams with at least one event.
    public var streams: Int
    /// Segment files.
    public var segments: Int
    /// Bytes of committed data in the segment files, headers included.
    public var bytes: Int64
    /// Records (atomic batches) in the log.
    public var records: Int
    /// Position of the first event, when there is one.
    public var firstPosition: Int64?
    /// Position of the last event, when there is one.
    public var lastPosition: Int64?
    /// When the first event was recorded.
    public var firstRecordedAt: Date?
    /// When the last event was recorded.
    public var lastRecordedAt: Date?
}

/// The committed part of a flat-file log at one moment: what a backup copies.
public struct CommittedLog: Hashable, Sendable {
    /// Each segment file's committed part, oldest first; only the last can still grow.
    public var segments: [CommittedSegment]
    /// The position of the last committed event (0 when the log is empty).
    public var lastPosition: Int64

    /// Creates a description of a committed log.
    public init(segments: [CommittedSegment], lastPosition: Int64) {
        self.segments = segments
        self.lastPosition = lastPosition
    }
}

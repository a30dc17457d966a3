/// How a ``FlatFileEventStore`` opens and writes.
public struct FlatFileStoreOptions: Sendable {
    /// The size after which the writer starts a new segment file (64 MiB by default). A batch never
    /// spans two segments, so a segment can exceed this by up to one batch.
    public var segmentSize: Int
    /// Where recorded-at times come from.
    public var clock: any WallClock
    /// Open without the write lock, for reading while another process writes.
    public var readOnly: Bool
    /// Create an empty store when the folder is missing or empty (writable stores only).
    public var createIfMissing: Bool
    /// Where the store reports: opening and recovery in the log; appends, commit latency and
    /// group-commit sizes as metrics (see ``Observability``).
    public var observability: Observability

    /// Creates options; the defaults open a writable store, creating it when missing.
    public init(segmentSize: Int = 64 << 20, clock: any WallClock = SystemWallClock(), readOnly: Bool = false, createIfMissing: Bool = true,
                observability: Observability = Observability()) {
        self.segmentSize = segmentSize
        self.clock = clock
        self.readOnly = readOnly
        self.createIfMissing = createIfMissing
        self.observability = observability
    }
}

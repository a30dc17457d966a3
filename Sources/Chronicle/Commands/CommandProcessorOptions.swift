/// How a ``CommandProcessor`` works.
public struct CommandProcessorOptions: Sendable {
    /// How many times a command is decided again after a version conflict before the conflict is
    /// returned.
    public var maximumRetries: Int
    /// Take a snapshot of an aggregate every this many events (0: never).
    public var snapshotInterval: Int
    /// How many aggregates stay loaded in memory between commands.
    public var cacheCapacity: Int
    /// Where the audit log's times come from (event times come from the store's clock).
    public var clock: any WallClock
    /// Told about what went wrong beside commands without failing them: a snapshot ignored
    /// (damaged, or not of this log), views that could not catch up or be saved after a command
    /// was recorded. Silent by default.
    public var onWarning: (@Sendable (String) -> Void)?
    /// Where commands and reverts report: a span per command (load, decide, append, project),
    /// commands by outcome and their duration as metrics, reverts and refusals in the log (see
    /// ``Observability``).
    public var observability: Observability

    /// Creates options.
    public init(maximumRetries: Int = 10, snapshotInterval: Int = 100, cacheCapacity: Int = 10_000, clock: any WallClock = SystemWallClock(),
                onWarning: (@Sendable (String) -> Void)? = nil, observability: Observability = Observability()) {
        self.maximumRetries = maximumRetries
        self.snapshotInterval = snapshotInterval
        self.cacheCapacity = cacheCapacity
        self.clock = clock
        self.onWarning = onWarning
        self.observability = observability
    }
}

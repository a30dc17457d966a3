import Chronicle
import Logging

/// How a ``PostgresEventStore`` is opened.
public struct PostgresStoreOptions: Sendable {
    /// Where recorded-at times come from (the database server's clock is not used: the times
    /// of one log come from its writers, as with the flat-file store).
    public var clock: any WallClock
    /// Open for reading only: appends throw ``EventStoreError/notWritable(_:)``, and missing
    /// tables are an error rather than created.
    public var readOnly: Bool
    /// Create the schema and its tables when they are missing (never when `readOnly`). When
    /// `false`, a database without them is refused with ``EventStoreError/notAStore(path:reason:)``.
    public var createIfMissing: Bool
    /// How long opening waits for the server before it gives up.
    public var connectTimeout: Duration
    /// The most connections the store's pool opens (one more listens for other writers' appends).
    public var maximumConnections: Int
    /// Where the PostgreSQL client logs; silent by default.
    public var logger: Logger

    /// Creates options.
    public init(
        clock: any WallClock = SystemWallClock(), readOnly: Bool = false, createIfMissing: Bool = true,
        connectTimeout: Duration = .seconds(10), maximumConnections: Int = 8,
        logger: Logger = Logger(label: "chronicle.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.clock = clock
        self.readOnly = readOnly
        self.createIfMissing = createIfMissing
        self.connectTimeout = connectTimeout
        self.maximumConnections = maximumConnections
        self.logger = logger
    }
}

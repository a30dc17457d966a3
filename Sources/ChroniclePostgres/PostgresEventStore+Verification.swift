import Chronicle
import Foundation
import PostgresNIO

/// What ``PostgresEventStore/verify(progress:)`` found.
public struct PostgresVerificationReport: Hashable, Sendable {
    /// Events checked.
    public var events: Int64
    /// Streams checked.
    public var streams: Int64
    /// The first inconsistency found, when there is one: the log position it is at (when it is
    /// at one) and what is wrong.
    public var problem: Problem?

    /// An inconsistency in the store's tables.
    public struct Problem: Hashable, Sendable, CustomStringConvertible {
        /// The position of the event concerned, when one is.
        public var position: Int64?
        /// What is wrong.
        public var reason: String

        public var description: String { position.map { "position \($0): \(reason)" } ?? reason }
    }

    /// Whether the tables hold a consistent log.
    public var isIntact: Bool { problem == nil }
}

/// Figures about a PostgreSQL store's log.
public struct PostgresStoreStatistics: Hashable, Sendable {
    /// Events recorded.
    public var events: Int64
    /// Streams with at least one event.
    public var streams: Int64
    /// Bytes the events table takes on disk, its indexes included.
    public var bytes: Int64
    /// When the first and the last event were recorded, when there are events.
    public var firstRecordedAt: Date?
    /// When the last event was recorded.
    public var lastRecordedAt: Date?
}

extension PostgresEventStore {
    /// Checks that the tables hold a log every reader can trust: positions 1 to N without a
    /// gap, each stream's versions 1 to its version without a gap and as `streams` records
    /// them, recorded-at times that never decrease, and every event readable (its metadata a
    /// JSON object of strings). Changes nothing; a writer may run meanwhile.
    /// - Parameter progress: called with (events checked, events in all) as it reads.
    public func verify(progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> PostgresVerificationReport {
        // The table checks see one snapshot, so that a writer running meanwhile cannot make
        // the events and the streams table disagree.
        let (checked, last) = try await run("verify") {
            try await self.client.withTransaction(logger: self.logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: self.logger)
                return try await self.checkTables(on: connection)
            }
        }
        var report = checked
        guard report.problem == nil else { return report }
        // Every event reads back as a recorded event.
        var position: Int64 = 1
        while position <= last {
            do {
                let page = try await readAll(from: position, direction: .forward, limit: Int(min(4_096, last - position + 1)))
                guard let end = page.last else { break }
                position = end.position + 1
            } catch {
                report.problem = PostgresVerificationReport.Problem(position: position, reason: "an event in the 4,096 from here does not read: \(error)")
                return report
            }
            progress?(position - 1, last)
        }
        return report
    }

    /// The checks that SQL makes: gaps, stream versions, time order. Returns the report so far
    /// and the last position it covers.
    private func checkTables(on connection: PostgresConnection) async throws -> (PostgresVerificationReport, Int64) {
        let summary = try await connection.query(
            "SELECT count(*), coalesce(min(position), 1), coalesce(max(position), 0) FROM \(unescaped: tables.events)", logger: logger)
            .collect().first?.decode((Int64, Int64, Int64).self)
        let (count, first, last) = summary ?? (0, 1, 0)
        let streams = try await connection.query("SELECT count(*) FROM \(unescaped: tables.streams)", logger: logger).collect().first?.decode(Int64.self) ?? 0
        var report = PostgresVerificationReport(events: count, streams: streams, problem: nil)
        if first != 1 || count != last {
            let missing = try await connection.query("""
                SELECT s.p FROM generate_series(1, \(last)) AS s(p)
                LEFT JOIN \(unescaped: tables.events) e ON e.position = s.p WHERE e.position IS NULL ORDER BY s.p LIMIT 1
                """, logger: logger).collect().first?.decode(Int64.self)
            report.problem = PostgresVerificationReport.Problem(position: missing, reason: "the position is missing: the log has a gap")
            return (report, last)
        }
        let badStream = try await connection.query("""
            SELECT coalesce(e.stream, s.stream), coalesce(e.n, 0), coalesce(e.low, 0), coalesce(e.high, 0), coalesce(s.version, 0)
            FROM (SELECT stream, count(*) AS n, min(stream_version) AS low, max(stream_version) AS high
                  FROM \(unescaped: tables.events) GROUP BY stream) e
            FULL JOIN \(unescaped: tables.streams) s ON s.stream = e.stream
            WHERE e.stream IS NULL OR s.stream IS NULL OR e.low <> 1 OR e.high <> e.n OR s.version <> e.high
            ORDER BY 1 LIMIT 1
            """, logger: logger).collect().first?.decode((String, Int64, Int64, Int64, Int64).self)
        if let (stream, events, low, high, recorded) = badStream {
            report.problem = PostgresVerificationReport.Problem(
                position: nil, reason: "stream '\(stream)': \(events) events with versions \(low)...\(high), and its recorded version is \(recorded)")
            return (report, last)
        }
        let backwards = try await connection.query("""
            SELECT position FROM (SELECT position, recorded_at_ns, lag(recorded_at_ns) OVER (ORDER BY position) AS previous
                                  FROM \(unescaped: tables.events)) AS t
            WHERE recorded_at_ns < previous ORDER BY position LIMIT 1
            """, logger: logger).collect().first?.decode(Int64.self)
        if let backwards {
            report.problem = PostgresVerificationReport.Problem(position: backwards, reason: "recorded earlier than the event before it")
        }
        return (report, last)
    }

    /// Figures about the log: counts, the events table's size, first and last time.
    public func statistics() async throws -> PostgresStoreStatistics {
        try await run("read statistics") {
            let row = try await self.client.query("""
                SELECT count(*), min(recorded_at_ns), max(recorded_at_ns), pg_total_relation_size(\(self.tables.events)::regclass)
                FROM \(unescaped: self.tables.events)
                """).collect().first?.decode((Int64, Int64?, Int64?, Int64).self)
            let (events, first, last, bytes) = row ?? (0, nil, nil, 0)
            let streams = try await self.client.query("SELECT count(*) FROM \(unescaped: self.tables.streams)").collect().first?.decode(Int64.self) ?? 0
            return PostgresStoreStatistics(
                events: events, streams: streams, bytes: bytes,
                firstRecordedAt: first.map { Date(nanosecondsSince1970: $0) }, lastRecordedAt: last.map { Date(nanosecondsSince1970: $0) })
        }
    }
}

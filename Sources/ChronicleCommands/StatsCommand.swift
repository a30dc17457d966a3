import ArgumentParser
import ChronicleTerminal
import Chronicle
import ChroniclePostgres

/// `chronicle stats`: figures about a store.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a store's event count, streams, segments, bytes, and first and last position and time."
    )

    @Argument(help: "The store: its folder, or a postgres:// URL.")
    var store: String

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let opened = try await OpenedStore.open(store, readOnly: true)
        do {
            if let postgres = opened.postgres {
                try show(try await postgres.statistics())
            } else if let flatFile = opened.flatFile {
                try show(try await flatFile.statistics())
            }
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
    }

    /// A PostgreSQL store's figures: no segments or records, the events table's size as bytes.
    private func show(_ stats: PostgresStoreStatistics) throws {
        let first: Int64? = stats.events > 0 ? 1 : nil, last: Int64? = stats.events > 0 ? stats.events : nil
        if json {
            var object = JSONText()
            object.number("events", stats.events)
            object.number("streams", stats.streams)
            object.number("bytes", stats.bytes)
            object.number("firstPosition", first)
            object.number("lastPosition", last)
            object.string("firstRecordedAt", stats.firstRecordedAt.map(Output.timestamp))
            object.string("lastRecordedAt", stats.lastRecordedAt.map(Output.timestamp))
            try Output.write(object.finished() + "\n")
        } else {
            try Self.table([
                ("events", "\(stats.events)"),
                ("streams", "\(stats.streams)"),
                ("bytes", "\(stats.bytes)"),
                ("first position", first.map { "\($0)" } ?? "-"),
                ("last position", last.map { "\($0)" } ?? "-"),
                ("first recorded at", stats.firstRecordedAt.map(Output.timestamp) ?? "-"),
                ("last recorded at", stats.lastRecordedAt.map(Output.timestamp) ?? "-"),
            ])
        }
    }

    private static func table(_ rows: [(String, String)]) throws {
        let width = rows.map(\.0.count).max() ?? 0
        try Output.write(rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined())
    }

    private func show(_ stats: StoreStatistics) throws {
        if json {
            var object = JSONText()
            object.number("events", stats.events)
            object.number("streams", stats.streams)
            object.number("segments", stats.segments)
            object.number("records", stats.records)
            object.number("bytes", stats.bytes)
            object.number("firstPosition", stats.firstPosition)
            object.number("lastPosition", stats.lastPosition)
            object.string("firstRecordedAt", stats.firstRecordedAt.map(Output.timestamp))
            object.string("lastRecordedAt", stats.lastRecordedAt.map(Output.timestamp))
            try Output.write(object.finished() + "\n")
        } else {
            let rows: [(String, String)] = [
                ("events", "\(stats.events)"),
                ("streams", "\(stats.streams)"),
                ("segments", "\(stats.segments)"),
                ("records", "\(stats.records)"),
                ("bytes", "\(stats.bytes)"),
                ("first position", stats.firstPosition.map { "\($0)" } ?? "-"),
                ("last position", stats.lastPosition.map { "\($0)" } ?? "-"),
                ("first recorded at", stats.firstRecordedAt.map(Output.timestamp) ?? "-"),
                ("last recorded at", stats.lastRecordedAt.map(Output.timestamp) ?? "-"),
            ]
            try Self.table(rows)
        }
    }
}

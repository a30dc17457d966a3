import ArgumentParser
import ChronicleTerminal
import Chronicle

/// `chronicle stats`: figures about a store.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a store's event count, streams, segments, bytes, and first and last position and time."
    )

    @Argument(help: "The store's folder.")
    var store: String

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    func run() async throws {
        let stats = try await FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true)).statistics()
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
            let width = rows.map(\.0.count).max() ?? 0
            try Output.write(rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined())
        }
    }
}

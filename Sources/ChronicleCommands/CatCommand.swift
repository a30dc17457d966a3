import ArgumentParser
import ChronicleTerminal
import Chronicle

/// `chronicle cat`: print events as JSON Lines.
struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Print a store's events as JSON Lines: envelope and payload, one event per line."
    )

    @Argument(help: "The store: its folder, or a postgres:// URL.")
    var store: String

    @Option(help: "Only this stream's events.")
    var stream: String?

    @Option(help: "The first global position to print.")
    var from: Int64 = 1

    @Option(help: "The last global position to print.")
    var to: Int64 = .max

    @Option(name: .customLong("schema"), help: "A schema file of the module (repeat for each): each line then also shows the name and version the event has now (currentType, currentVersion).")
    var schemas: [String] = []

    func validate() throws {
        guard from >= 1 else { throw ValidationError("--from must be a position, 1 or more") }
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() async throws {
        let reader: StoredEventReader?
        do {
            reader = schemas.isEmpty ? nil : try StoredEventReader.load(schemas: schemas)
        } catch {
            throw ExitCode(64)
        }
        let opened = try await OpenedStore.open(store, readOnly: true)
        do {
            try await print(from: opened.store, reader: reader)
            await opened.close()
        } catch {
            await opened.close()
            throw error
        }
    }

    private func print(from store: any EventStore, reader: StoredEventReader?) async throws {
        func line(_ event: RecordedEvent) -> String {
            guard let reader else { return JSONText.event(event) + "\n" }
            let now = reader.current(of: event)
            return JSONText.event(event, currentType: .some(now?.type), currentVersion: .some(now?.version)) + "\n"
        }
        var lines = ""
        func flush(force: Bool) throws {
            if force || lines.utf8.count > 1 << 16 {
                try Output.write(lines)
                lines = ""
            }
        }
        if let stream {
            var version: Int64 = 1
            while true {
                let page = try await store.readStream(StreamID(stream), from: version, direction: .forward, limit: 1024)
                guard let last = page.last else { break }
                for event in page where (from...to).contains(event.position) {
                    lines += line(event)
                }
                try flush(force: false)
                version = last.streamVersion + 1
            }
        } else {
            var position = max(from, 1)
            while position <= to {
                let page = try await store.readAll(from: position, direction: .forward, limit: 1024)
                guard let last = page.last else { break }
                for event in page where event.position <= to {
                    lines += line(event)
                }
                try flush(force: false)
                position = last.position + 1
            }
        }
        try flush(force: true)
    }
}

import ArgumentParser
import Chronicle
import ChronicleTerminal

/// `chronicle can-read`: can these schemas read every event of that store? What a deployment
/// pipeline asks before a new schema meets production's log.
struct CanReadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "can-read",
        abstract: "Check that the schemas can read every event of a store, before deploying them.",
        discussion: """
            Reads every event, in order, as the code generated from the schemas would: by its \
            stored name (former names included), checking its stream and version, applying the \
            declarative upcasts, and checking the payload against the current fields. Stops at \
            the first event it cannot read and prints its position, type, version and the \
            reason. The store is opened read-only.

            An event stored by an earlier version of an event that upcasts in Swift \
            ('upcast: swift') needs the application's code: it is counted, not read. Run \
            LogReadability.check(MyModuleEvent.self, in: store) in the application to read \
            those too.

            Exit status: 0 every event can be read; 1 an event cannot be read; 2 every event \
            can be read except those that need a Swift upcast (none of which was checked); \
            64 a schema or the arguments have a problem; 74 the store cannot be read.
            """
    )

    @Argument(help: "The store: its folder, or a postgres:// URL.")
    var store: String

    @Option(name: .customLong("schema"), help: "A schema file of the module; repeat for each (all the module's schemas).")
    var schemas: [String] = []

    func validate() throws {
        if schemas.isEmpty { throw ValidationError("give the module's schemas with --schema FILE (once per file)") }
    }

    func run() async throws {
        let reader: StoredEventReader
        do {
            reader = try StoredEventReader.load(schemas: schemas)
        } catch {
            throw ExitCode(64)
        }
        // A store that cannot be opened or read is not an unreadable event: its own exit status.
        let outcome: Outcome
        do {
            let opened = try await OpenedStore.open(store, readOnly: true)
            do {
                outcome = try await check(opened.store, with: reader)
                await opened.close()
            } catch {
                await opened.close()
                throw error
            }
        } catch {
            Output.error("error: \(error)\n")
            throw ExitCode(Output.ioErrorExitCode)
        }
        var report = ""
        if let failure = outcome.failure {
            report += "cannot read position \(failure.position): \(failure.type) (version \(failure.version)): \(failure.reason)\n"
            report += "read \(outcome.read) events before it\n"
        } else {
            report += "read all \(outcome.read + outcome.needSwift.values.reduce(0, +)) events"
            report += outcome.read == 0 && outcome.needSwift.isEmpty ? " (the store is empty)\n" : "\n"
        }
        for key in outcome.upcast.keys.sorted() { report += "  \(outcome.upcast[key] ?? 0) × \(key), through upcasts or a former name\n" }
        for key in outcome.needSwift.keys.sorted() {
            report += "  \(outcome.needSwift[key] ?? 0) × \(key) need the application's Swift upcast: not checked here\n"
        }
        try Output.write(report)
        if outcome.failure != nil { throw ExitCode(1) }
        if !outcome.needSwift.isEmpty { throw ExitCode(2) }
    }

    struct Outcome {
        var read = 0
        var upcast: [String: Int] = [:]
        var needSwift: [String: Int] = [:]
        var failure: (position: Int64, type: String, version: Int32, reason: String)?
    }

    private func check(_ store: any EventStore, with reader: StoredEventReader) async throws -> Outcome {
        var outcome = Outcome()
        var position: Int64 = 1
        while true {
            let page = try await store.readAll(from: position, direction: .forward, limit: 1024)
            guard let last = page.last else { return outcome }
            for event in page {
                let stored = "\(event.type) v\(event.schemaVersion)"
                switch reader.read(event) {
                case .current: outcome.read += 1
                case .upcast: outcome.read += 1; outcome.upcast[stored, default: 0] += 1
                case .needsSwift: outcome.needSwift[stored, default: 0] += 1
                case .unreadable(let reason):
                    outcome.failure = (event.position, event.type, event.schemaVersion, reason)
                    return outcome
                }
            }
            position = last.position + 1
        }
    }
}

import ArgumentParser
import ChronicleTerminal
import Chronicle
import ChroniclePostgres
import Foundation

/// `ChronicleBenchmarks workload`: durable appends of synthetic bank events, as a process of its
/// own: the writer that durability, backup and reader tests kill or run beside, and a quick
/// measure of a disk.
struct WorkloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ChronicleBenchmarks workload",
        abstract: "Append synthetic bank events (accounts opened, then deposits) and print the throughput.",
        discussion: """
            Each writer is a concurrent task that appends its share of the events in batches to \
            accounts of its own, expecting exact stream versions. Each account gets one Opened \
            event and then deposits. Figures are printed as `name value unit` lines.
            """
    )

    @Option(help: "The store: a folder (created when missing; events are added to what is there) or a postgres:// URL.")
    var store: String

    @Option(help: "How many events to append in all.")
    var events: Int

    @Option(help: "Events per append (one atomic batch).")
    var batch: Int = 1

    @Option(help: "Concurrent appending tasks.")
    var writers: Int = 1

    @Option(help: "Deposits per account before a writer opens the next account.")
    var depositsPerAccount: Int = 100

    @Option(help: "Segment file size in bytes for a new segment (the writer preallocates each one).")
    var segmentSize: Int = 64 << 20

    @Flag(help: "Print each acknowledged global position on its own line as soon as it is durable (figures then go to standard error).")
    var printAcks = false

    @Option(help: "At most this many events per second in all (default: as fast as the store takes them), for a steady load beside readers.")
    var rate: Int?

    func validate() throws {
        if let rate { guard rate > 0 else { throw ValidationError("--rate must be positive") } }
        guard events > 0 else { throw ValidationError("--events must be positive") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard writers > 0 else { throw ValidationError("--writers must be positive") }
        guard depositsPerAccount >= 0 else { throw ValidationError("--deposits-per-account must not be negative") }
    }

    func run() async throws {
        let store: any EventStore
        let close: @Sendable () async -> Void
        if PostgresLocation.isURL(self.store) {
            // A generous timeout: the workload is often started beside other busy processes.
            let postgres = try await PostgresEventStore.open(url: self.store, options: PostgresStoreOptions(connectTimeout: .seconds(120)))
            (store, close) = (postgres, { await postgres.close() })
        } else {
            let flatFile = try FlatFileEventStore(path: self.store, options: FlatFileStoreOptions(segmentSize: segmentSize))
            (store, close) = (flatFile, { await flatFile.close() })
        }
        let run = UUID().uuidString.prefix(8).lowercased()
        let printAcks = printAcks
        let start = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    let share = events / writers + (writer < events % writers ? 1 : 0)
                    let workload = SyntheticBankBatches(prefix: "Account-\(run)-w\(writer)-", depositsPerAccount: depositsPerAccount)
                    // Each writer keeps to its part of the rate: after n events, not before n / rate seconds.
                    let perWriter = rate.map { Double($0) / Double(writers) }
                    group.addTask { [batch] in
                        var workload = workload
                        var remaining = share
                        var written = 0
                        while remaining > 0 {
                            let count = min(batch, remaining)
                            let result = try await store.append(workload.nextBatch(count))
                            remaining -= count
                            written += count
                            if let perWriter {
                                let due = start + .nanoseconds(Int64(Double(written) / perWriter * 1e9))
                                if due > ContinuousClock.now { try await Task.sleep(until: due) }
                            }
                            if printAcks {
                                try Output.write((result.firstPosition...result.lastPosition).map { "\($0)\n" }.joined())
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            await close()
            throw error
        }
        let elapsed = ContinuousClock.now - start
        await close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let report = """
            append.events \(events) events
            append.seconds \(String(format: "%.3f", seconds)) s
            append.rate \(String(format: "%.0f", Double(events) / seconds)) events/s

            """
        if printAcks { Output.error(report) } else { try Output.write(report) }
    }
}

/// The synthetic bank workload: accounts opened one after another, each then given deposits.
struct SyntheticBankBatches {
    let prefix: String
    let depositsPerAccount: Int
    private var account = 0
    private var version: Int64 = 0

    init(prefix: String, depositsPerAccount: Int) {
        self.prefix = prefix
        self.depositsPerAccount = depositsPerAccount
    }

    /// The next `count` events, as one batch over the one or more accounts they touch.
    mutating func nextBatch(_ count: Int) -> AppendBatch {
        var appends: [StreamAppend] = []
        for _ in 0..<count {
            if version > Int64(depositsPerAccount) {
                account += 1
                version = 0
            }
            let stream = StreamID(prefix + String(account))
            let event: ProposedEvent
            if version == 0 {
                event = ProposedEvent(type: "Account.Opened", payload: Array("{\"owner\":\"Owner \(account)\"}".utf8))
            } else {
                let amount = (account * 7919 + Int(version) * 104_729) % 100_000 + 1
                event = ProposedEvent(type: "Account.Deposited", payload: Array("{\"amount\":\(amount)}".utf8))
            }
            if appends.last?.stream == stream {
                appends[appends.count - 1].events.append(event)
            } else {
                appends.append(StreamAppend(stream: stream, expectedVersion: .exactly(version), events: [event]))
            }
            version += 1
        }
        return AppendBatch(appends)
    }
}

import Bank
import Chronicle
import Foundation

/// The read side: queries from memory, rebuilding the Bank views, a background projector's lag.
enum ViewBenchmarks {
    static func run() async throws {
        let folder = try Measure.folder("views")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder)
        let (accounts, events) = try await BankWorkload.write(to: store, accounts: 1_000, deposits: 100)
        try await queries(store, accounts: accounts)
        try await rebuild(store, events: events)
        await store.close()
        try await projectorLag()
    }

    static func queries(_ store: FlatFileEventStore, accounts: [Account.ID]) async throws {
        let queries = try BankQueries(store: store, folder: nil)
        try await queries.views.catchUp()
        var samples: [Double] = []
        var found = 0
        for round in 0..<200_000 {
            let id = accounts[round % accounts.count]
            let start = ContinuousClock.now
            if queries.accountSummary.row(id) != nil { found += 1 }
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.attoseconds) / 1e9 + Double(elapsed.components.seconds) * 1e9)
        }
        precondition(found == 200_000, "every account is in the summary")
        samples.sort()
        Measure.report("query.by-key.median", samples[samples.count / 2], "ns")
        Measure.report("query.by-key.p99", samples[samples.count * 99 / 100], "ns")
        let byOwner = await Measure.median(runs: 5) { _ = queries.accountSummary.rows(owner: "Owner 7") }
        Measure.report("query.by-index", byOwner * 1e9, "ns")
    }

    static func rebuild(_ store: FlatFileEventStore, events: Int) async throws {
        let seconds = try await Measure.median(runs: 3) {
            let queries = try BankQueries(store: store, folder: nil)
            try await queries.views.rebuild()
        }
        Measure.report("views.rebuild", Double(events) / seconds, "events/s")
    }

    /// How far behind a background projector runs while 64 tasks append deposits.
    static func projectorLag() async throws {
        let folder = try Measure.folder("lag")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder)
        let (accounts, _) = try await BankWorkload.write(to: store, accounts: 64, deposits: 1)
        let queries = try BankQueries(store: store, folder: nil)
        try await queries.views.catchUp()
        queries.views.startFollowing()
        let payload = try Account.Event.deposited(Account.Deposited(amount: 1)).encodedPayload()
        var lags: [Double] = []
        try await withThrowingTaskGroup(of: [Double].self) { group in
            for task in 0..<64 {
                group.addTask {
                    var lags: [Double] = []
                    let stream = Account.State.stream(for: accounts[task])
                    for _ in 0..<300 {
                        let result = try await store.append(to: stream, [ProposedEvent(type: "Account.Deposited", payload: payload)])
                        if task == 0 {
                            // How long until the views reflect this append.
                            let start = ContinuousClock.now
                            try await queries.views.wait(for: result.lastPosition, timeout: .seconds(10))
                            let lag = ContinuousClock.now - start
                            lags.append(Double(lag.components.attoseconds) / 1e15 + Double(lag.components.seconds) * 1e3)
                        }
                    }
                    return lags
                }
            }
            for try await taskLags in group { lags += taskLags }
        }
        lags.sort()
        Measure.report("projector.lag.median", lags[lags.count / 2], "ms")
        Measure.report("projector.lag.max", lags.last ?? 0, "ms")
        try await queries.views.close()
        await store.close()
    }
}

/// The bank workload of the peers' benchmark: accounts opened, then deposits on each, written
/// straight to the store (as the commands would record them) in batches of 100 events.
enum BankWorkload {
    static func write(to store: any EventStore, accounts count: Int, deposits: Int, beforeBatch: (Int) -> Void = { _ in }) async throws -> ([Account.ID], Int) {
        var batches = 0
        var ids: [Account.ID] = []
        var pending: [StreamAppend] = []
        var pendingEvents = 0
        var written = 0
        func flush() async throws {
            guard !pending.isEmpty else { return }
            beforeBatch(batches)
            batches += 1
            _ = try await store.append(AppendBatch(pending))
            written += pendingEvents
            pending = []
            pendingEvents = 0
        }
        for index in 0..<count {
            let id = Account.ID.make()
            ids.append(id)
            var state = Account.State()
            var events: [ProposedEvent] = []
            let opened = state.capturing(.opened(Account.Opened(owner: "Owner \(index % 100)")))
            try state.apply(opened)
            events.append(ProposedEvent(type: opened.typeName, payload: try opened.encodedPayload()))
            for deposit in 0..<deposits {
                let event = Account.Event.deposited(Account.Deposited(amount: (deposit * 7_919) % 10_000 + 1))
                events.append(ProposedEvent(type: event.typeName, payload: try event.encodedPayload()))
            }
            var start = 0
            var version: Int64 = 0
            while start < events.count {
                let chunk = Array(events[start..<min(events.count, start + 100 - pendingEvents)])
                pending.append(StreamAppend(stream: Account.State.stream(for: id), expectedVersion: version == 0 ? .noStream : .exactly(version), events: chunk))
                pendingEvents += chunk.count
                version += Int64(chunk.count)
                start += chunk.count
                if pendingEvents >= 100 { try await flush() }
            }
        }
        try await flush()
        return (ids, written)
    }
}

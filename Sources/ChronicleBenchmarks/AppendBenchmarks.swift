import Chronicle
import Foundation

/// Durable appends: one writer, 64 concurrent tasks, batches of 100.
enum AppendBenchmarks {
    static func event(_ index: Int) -> ProposedEvent {
        ProposedEvent(type: "Account.Deposited", payload: Array("{\"amount\":\(index % 100_000 + 1)}".utf8))
    }

    static func run() async throws {
        let single = try await rate(events: 10_000, tasks: 1, batch: 1)
        Measure.report("append.1-writer", single, "events/s")
        let concurrent = try await rate(events: 300_000, tasks: 64, batch: 1)
        Measure.report("append.64-tasks", concurrent, "events/s")
        Measure.report("append.64-tasks-vs-1-writer", concurrent / single, "x")
        Measure.report("append.batch-100", try await rate(events: 1_000_000, tasks: 1, batch: 100), "events/s")
    }

    /// Events per second appended by `tasks` tasks in batches of `batch`, each on its own streams.
    static func rate(events: Int, tasks: Int, batch: Int) async throws -> Double {
        let folder = try Measure.folder("append")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder)
        let rate = try await rate(of: store, events: events, tasks: tasks, batch: batch)
        await store.close()
        return rate
    }

    /// Events per second appended to `store` by `tasks` tasks in batches of `batch`, each on its
    /// own streams.
    static func rate(of store: any EventStore, events: Int, tasks: Int, batch: Int) async throws -> Double {
        let perTask = events / tasks
        let seconds = try await Measure.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        var written = 0
                        while written < perTask {
                            let count = min(batch, perTask - written)
                            let stream = StreamID("Account-\(task)-\(written / 100)")
                            try await store.append(to: stream, (0..<count).map { event(written + $0) })
                            written += count
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        return Double(perTask * tasks) / seconds
    }
}

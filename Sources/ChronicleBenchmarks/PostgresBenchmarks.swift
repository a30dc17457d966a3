import Bank
import Chronicle
import ChroniclePostgres
import Foundation

/// The PostgreSQL store next to the flat-file store and to the server's own floor (`pgbench`'s
/// simple-update transactions per second), in one run. Needs `CHRONICLE_POSTGRES_URL` (e.g.
/// from `.ci/postgres-server start`); without it the group says it is skipped.
enum PostgresBenchmarks {
    static func run() async throws {
        guard let url = ProcessInfo.processInfo.environment["CHRONICLE_POSTGRES_URL"], !url.isEmpty else {
            Measure.note("postgres: skipped (set CHRONICLE_POSTGRES_URL, e.g. from .ci/postgres-server start)")
            return
        }
        let base = try PostgresLocation(url: url)
        for (name, tasks, batch, events) in [("1-task-batch-1", 1, 1, 2_000), ("64-tasks-batch-1", 64, 1, 3_200), ("64-tasks-batch-100", 64, 100, 64_000)] {
            let flat = try await appendRate(events: events, tasks: tasks, batch: batch) { try FlatFileEventStore(path: try Measure.folder("pg-append")) }
            let postgres = try await appendRate(events: events, tasks: tasks, batch: batch) { try await freshStore(base) }
            Measure.report("flatfile.append.\(name)", flat, "events/s")
            Measure.report("postgres.append.\(name)", postgres, "events/s")
            Measure.report("postgres-vs-flatfile.append.\(name)", postgres / flat, "x")
        }
        // Replay and view rebuild on the bank workload: 100,000 events on each store.
        let flatStore = try FlatFileEventStore(path: try Measure.folder("pg-replay"))
        let postgresStore = try await freshStore(base)
        for (label, store) in [("flatfile", flatStore as any EventStore), ("postgres", postgresStore)] {
            let (_, events) = try await BankWorkload.write(to: store, accounts: 1_000, deposits: 99)
            let replay = try await Measure.median(runs: 3) { try await replayAll(store) }
            Measure.report("\(label).replay", Double(events) / replay, "events/s")
            let rebuild = try await Measure.median(runs: 3) {
                let queries = try BankQueries(store: store, folder: nil)
                try await queries.views.rebuild()
            }
            Measure.report("\(label).views.rebuild", Double(events) / rebuild, "events/s")
        }
        await flatStore.close()
        await drop(postgresStore)
        if let tps = pgbench(base) { Measure.report("pgbench.simple-update", tps, "tps") }
    }

    static func freshStore(_ base: PostgresLocation) async throws -> PostgresEventStore {
        let schema = "bench_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        return try await PostgresEventStore.open(base.withSchema(String(schema)), options: PostgresStoreOptions(maximumConnections: 16))
    }

    /// Removes a benchmark's schema: what it measured is not kept.
    static func drop(_ store: PostgresEventStore) async {
        await store.close()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", "-q", "-h", store.location.host ?? store.location.socketFolder ?? "localhost", "-p", "\(store.location.port)",
                             "-U", store.location.user, "-d", store.location.database, "-c", "DROP SCHEMA \"\(store.location.schema)\" CASCADE"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    /// Events per second appended by `tasks` tasks in batches of `batch`, each on streams of its own.
    static func appendRate(events: Int, tasks: Int, batch: Int, makeStore: () async throws -> any EventStore) async throws -> Double {
        let store = try await makeStore()
        let rate = try await AppendBenchmarks.rate(of: store, events: events, tasks: tasks, batch: batch)
        if let postgres = store as? PostgresEventStore { await drop(postgres) }
        if let flat = store as? FlatFileEventStore {
            await flat.close()
            try? FileManager.default.removeItem(atPath: flat.path)
        }
        return rate
    }

    /// Reads the whole log in pages and decodes every event.
    static func replayAll(_ store: any EventStore) async throws {
        var position: Int64 = 1
        var decoded = 0
        while true {
            let page = try await store.readAll(from: position, direction: .forward, limit: 4_096)
            guard let last = page.last else { break }
            for event in page where try BankEvent.decode(event) != nil { decoded += 1 }
            position = last.position + 1
        }
        guard decoded > 0 else { throw BenchmarkFailure("nothing decoded") }
    }

    /// `pgbench`'s simple-update transactions per second on the same server (8 clients, 2,000
    /// transactions each): the floor a database commit sets. `nil` when pgbench is not there or
    /// fails. A count of transactions rather than a duration (`-T`): pgbench's timer does not
    /// fire when started from this process.
    static func pgbench(_ location: PostgresLocation) -> Double? {
        let host = location.host ?? location.socketFolder ?? "localhost"
        let connection = ["-h", host, "-p", "\(location.port)", "-U", location.user]
        func run(_ arguments: [String]) -> String? {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-pgbench-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: output) }
            guard FileManager.default.createFile(atPath: output.path, contents: nil), let handle = try? FileHandle(forWritingTo: output) else { return nil }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["pgbench"] + arguments
            process.standardOutput = handle
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return nil }
            process.waitUntilExit()
            try? handle.close()
            return process.terminationStatus == 0 ? (try? String(contentsOf: output, encoding: .utf8)) : nil
        }
        guard run(["-i", "-q", "-s", "10"] + connection + [location.database]) != nil,
              let report = run(["-b", "simple-update", "-c", "8", "-j", "2", "-t", "2000"] + connection + [location.database]) else { return nil }
        // "tps = 1234.567890 (without initial connection time)"
        guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix("tps = ") }) else { return nil }
        return Double(line.dropFirst(6).split(separator: " ").first ?? "")
    }
}

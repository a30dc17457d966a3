import Bank
import Chronicle
import Foundation
import Synchronization

/// How responsive an application stays while the store works hard: 1,000 concurrent commands
/// at a time (each with its audit line, snapshots and persisted views) and a task reading the
/// whole log again and again; meanwhile, queries answered by a fresh task, and 100 ms timeouts.
///
/// Measured twice in one run: with the runtime's blocking file work on its own threads (the
/// default), and with `CHRONICLE_IO_THREADS=0`, which runs it on the calling task's thread, as
/// the runtime did before (`before.` lines, measured in a child process).
enum ResponsivenessBenchmarks {
    static func run() async throws {
        try await measure(prefix: ProcessInfo.processInfo.environment["CHRONICLE_IO_THREADS"] == "0" ? "before." : "")
        guard ProcessInfo.processInfo.environment["CHRONICLE_IO_THREADS"] == nil else { return }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        child.arguments = ["responsiveness"]
        var environment = ProcessInfo.processInfo.environment
        environment["CHRONICLE_IO_THREADS"] = "0"
        child.environment = environment
        try child.run()
        child.waitUntilExit()
    }

    static func measure(prefix: String) async throws {
        let folder = try Measure.folder("responsiveness")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder + "/store")
        let (accounts, _) = try await BankWorkload.write(to: store, accounts: 1_000, deposits: 300)
        let app = try await BankApp.open(
            store: store, viewsFolder: folder + "/views", rules: BankRulebook(), projection: .background,
            snapshots: FlatFileSnapshotStore(store: store), audit: try AuditLog(store: store),
            viewOptions: ViewStoreOptions(persistEvery: 2_000, persistInterval: .milliseconds(100)))
        let finished = StopFlag(false)
        // The load, until the measurements are done: 1,000 tasks running deposits, and a reader
        // going through the whole log again and again.
        let load = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                group.addTask {
                    var next: Int64 = 1
                    var pages = 0
                    while !finished.value {
                        let page = try await store.readAll(from: next, direction: .forward, limit: 4_096)
                        next = page.isEmpty ? 1 : page[page.count - 1].position + 1
                        pages += 1
                    }
                    return 0
                }
                for task in 0..<1_000 {
                    group.addTask {
                        var commands = 0
                        while !finished.value {
                            try await app.commands.deposit(account: accounts[task % accounts.count], amount: 1)
                            commands += 1
                        }
                        return commands
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        // Meanwhile: queries answered by a fresh task, and 100 ms timeouts.
        var queryLatencies: [Double] = []
        var lateness: [Double] = []
        let probe = accounts[0]
        let started = ContinuousClock.now
        // 40 rounds, or as many as fit in a minute when the load starves the measuring task.
        for _ in 0..<40 where started.duration(to: .now) < .seconds(60) {
            for _ in 0..<10 {
                let start = ContinuousClock.now
                _ = await Task { app.queries.accountSummary.row(probe) }.value
                queryLatencies.append(milliseconds(ContinuousClock.now - start))
            }
            let waitStart = ContinuousClock.now
            _ = try? await app.queries.views.wait(for: .max, timeout: .milliseconds(100))
            lateness.append(milliseconds(ContinuousClock.now - waitStart) - 100)
        }
        finished.value = true
        let commands = try await load.value
        let seconds = milliseconds(ContinuousClock.now - started) / 1e3
        try await app.close()
        await store.close()
        Measure.report("\(prefix)responsiveness.commands", Double(commands) / seconds, "commands/s")
        Measure.report("\(prefix)responsiveness.timeouts-measured", Double(lateness.count), "timeouts")
        queryLatencies.sort()
        lateness.sort()
        Measure.report("\(prefix)responsiveness.query.p50", queryLatencies[queryLatencies.count / 2], "ms")
        Measure.report("\(prefix)responsiveness.query.p99", queryLatencies[queryLatencies.count * 99 / 100], "ms")
        Measure.report("\(prefix)responsiveness.timeout-100ms.late.median", lateness[lateness.count / 2], "ms")
        Measure.report("\(prefix)responsiveness.timeout-100ms.late.max", lateness[lateness.count - 1], "ms")
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
    }
}

/// A flag shared between tasks.
final class StopFlag: Sendable {
    private let storage: Mutex<Bool>
    init(_ value: Bool) { storage = Mutex(value) }
    var value: Bool {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

import Bank
import Chronicle
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A 1,000,000-event bank log written over 300 simulated days: replay, as-of three days back,
/// a revert of the last 100,000 events, and a backup.
enum LargeLogBenchmarks {
    static func run() async throws {
        let folder = try Measure.folder("large")
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: folder + "-backup")
        }
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_767_225_600))
        let store = try FlatFileEventStore(path: folder, options: FlatFileStoreOptions(clock: clock))
        // 10,000 accounts x 100 deposits: 1,010,000 events, in batches of 100, ~3,400 per day.
        let (accounts, events) = try await BankWorkload.write(to: store, accounts: 10_000, deposits: 100) { batch in
            if batch % 34 == 0 { clock.advance(by: 86_400) }
        }
        Measure.report("large.events", Double(events), "events")

        // Replay: decode every event and apply it to its account's state, streaming the log.
        resetPeakMemory()
        let memoryBefore = residentMegabytes()
        var states: [StreamID: Account.State] = [:]
        let replay = try await Measure.seconds {
            var next: Int64 = 1
            while true {
                let page = try await store.readAll(from: next, direction: .forward, limit: 8_192)
                guard let last = page.last else { break }
                for recorded in page {
                    guard let event = try Account.Event.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload) else { continue }
                    try states[recorded.stream, default: Account.State()].apply(event)
                }
                next = last.position + 1
            }
        }
        Measure.report("replay.decode-and-apply", Double(events) / replay, "events/s")
        Measure.report("replay.peak-memory-growth", max(0, peakMegabytes() - memoryBefore), "MB")
        precondition(states.count == accounts.count)

        // Views: rebuild, then as-of three days back (walk back) against a full replay.
        let queries = try BankQueries(store: store, folder: nil)
        let rebuild = try await Measure.seconds { try await queries.views.rebuild() }
        Measure.report("views.rebuild-1m", Double(events) / rebuild, "events/s")
        let threeDaysAgo = try await store.lastPosition(atOrBefore: clock.now().addingTimeInterval(-3 * 86_400))
        Measure.report("asof.events-after-3-days", Double(Int64(events) - threeDaysAgo) / Double(events) * 100, "% of the log")
        let walkBack = try await Measure.seconds { _ = try await queries.asOf(threeDaysAgo) }
        let fullReplay = try await Measure.seconds {
            _ = try await queries.accountSummary(asOf: threeDaysAgo, path: .replay)
            _ = try await queries.accountHistory(asOf: threeDaysAgo, path: .replay)
            _ = try await queries.bankTotals(asOf: threeDaysAgo, path: .replay)
        }
        Measure.report("asof.3-days-back", walkBack * 1_000, "ms")
        Measure.report("asof.full-replay", fullReplay * 1_000, "ms")
        Measure.report("asof.3-days-back-vs-full-replay", walkBack / fullReplay * 100, "%")

        // A revert of the last 100,000 events: planning and appending one batch.
        let processor = CommandProcessor(store: store)
        let machine = TimeMachine<BankEvent>(store: store, processor: processor, views: [])
        let since = try await store.lastPosition() - 100_000
        var reverted = 0
        let revert = try await Measure.seconds {
            reverted = try await machine.revert(since: since, reason: "benchmark").plan.steps.count
        }
        Measure.report("revert.100k-events", Double(reverted) / revert, "events/s")

        await store.close()

        // Backup of the whole log.
        var copied: Int64 = 0
        let backup = try await Measure.seconds { copied = try StoreBackup.backup(storeAt: folder, to: folder + "-backup").copiedBytes }
        Measure.report("backup.full", Double(copied) / backup / 1_048_576, "MB/s")
    }

    static func residentMegabytes() -> Double { statusField("VmRSS:") }

    /// Resets the peak resident size the kernel reports (VmHWM), so that it measures what follows.
    static func resetPeakMemory() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }
    static func peakMegabytes() -> Double { statusField("VmHWM:") }

    /// A memory figure of this process from /proc/self/status, in MB.
    static func statusField(_ name: String) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kilobytes / 1_024
    }
}

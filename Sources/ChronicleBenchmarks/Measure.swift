import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Timing helpers for the benchmarks.
enum Measure {
    /// Seconds `body` takes.
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The median of several runs of `body`, in seconds.
    static func median(runs: Int, _ body: () async throws -> Void) async rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try await seconds(body)) }
        return times.sorted()[times.count / 2]
    }

    /// Prints one `name value unit` line.
    static func report(_ name: String, _ value: Double, _ unit: String) {
        let text = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
        print("\(name) \(text) \(unit)")
    }

    /// What running a program to its end cost: its wall time and its peak resident memory.
    struct ChildCost {
        var seconds: Double
        var peakMegabytes: Double
        var status: Int32
    }

    /// Runs `executable` with `arguments` to its end, its output discarded, and measures it
    /// (the peak memory is the kernel's `ru_maxrss` of that child alone).
    static func child(_ executable: String, _ arguments: [String]) async throws -> ChildCost {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: executable]) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return ChildCost(seconds: seconds, peakMegabytes: Double(usage.ru_maxrss) / 1_024, status: status)
    }

    /// A fresh folder for a benchmark's store.
    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-bench-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

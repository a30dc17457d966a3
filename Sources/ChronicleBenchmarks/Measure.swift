import Foundation

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

    /// Prints one `name value unit` line, at once (also into a pipe: a long group would
    /// otherwise show nothing until the process ends).
    static func report(_ name: String, _ value: Double, _ unit: String) {
        let text = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
        FileHandle.standardOutput.write(Data("\(name) \(text) \(unit)\n".utf8))
    }

    /// Prints a comment line (`# …`), at once.
    static func note(_ text: String) {
        FileHandle.standardOutput.write(Data("# \(text)\n".utf8))
    }

    /// What running a program to its end cost: its wall time and its peak resident memory.
    struct ChildCost {
        var seconds: Double
        var peakMegabytes: Double
        /// User and system CPU time.
        var cpuSeconds: Double
        var status: Int32
    }

    /// Runs `executable` with `arguments` to its end, its output discarded, and measures it. The
    /// peak memory comes from GNU `time` (`/usr/bin/time -f %M`), which forks a small process
    /// first: a child spawned straight from this large one would report this one's peak, which
    /// Linux carries across `exec`.
    static func child(_ executable: String, _ arguments: [String]) async throws -> ChildCost {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-bench-\(UUID().uuidString).time").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
        process.arguments = ["-f", "%M %U %S", "-o", report, executable] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        // The last line is "KILOBYTES USER SYSTEM" (a line before it may say the child failed).
        let figures = (try? String(contentsOfFile: report, encoding: .utf8))?
            .split(separator: "\n").last?.split(separator: " ").compactMap { Double($0) } ?? []
        return ChildCost(seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                         peakMegabytes: (figures.first ?? 0) / 1_024, cpuSeconds: figures.count == 3 ? figures[1] + figures[2] : 0,
                         status: process.terminationStatus)
    }

    /// A fresh folder for a benchmark's store.
    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-bench-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

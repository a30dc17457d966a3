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

    /// Prints one `name value unit` line.
    static func report(_ name: String, _ value: Double, _ unit: String) {
        let text = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3f", value)
        print("\(name) \(text) \(unit)")
    }

    /// A fresh folder for a benchmark's store.
    static func folder(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-bench-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

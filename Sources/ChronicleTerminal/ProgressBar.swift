import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on standard error, drawn only when standard output and standard error are
/// terminals; silent otherwise, so scripts and logs get plain output.
public final class ProgressBar: Sendable {
    private let title: String
    private let enabled: Bool
    /// The percentage last drawn (-1: none yet).
    private let lastDrawn = Mutex(-1)

    /// Creates a bar with a title.
    public init(title: String) {
        self.title = title
        self.enabled = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of `total`.
    public func update(_ done: Int64, of total: Int64) {
        guard enabled, total > 0 else { return }
        // In floating point: `done * 100` could overflow for positions near Int64.max.
        let percent = Int(max(0, min(100, Double(done) / Double(total) * 100)))
        lastDrawn.withLock { last in
            // Drawn under the lock, so that concurrent updates draw in order.
            guard percent != last else { return }
            last = percent
            let width = 30
            let filled = width * percent / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            Output.error("\r\(title) [\(bar)] \(percent)%")
        }
    }

    /// Ends the bar's line.
    public func finish() {
        guard enabled, lastDrawn.withLock({ $0 }) >= 0 else { return }
        Output.error("\n")
    }
}

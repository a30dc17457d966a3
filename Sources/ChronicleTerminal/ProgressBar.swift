import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A progress bar on standard error, drawn only when standard output and standard error are
/// terminals; silent otherwise, so scripts and logs get plain output.
public final class ProgressBar: @unchecked Sendable {
    private let title: String
    private let enabled: Bool
    private var lastDrawn = -1
    private let lock = NSLock()

    /// Creates a bar with a title.
    public init(title: String) {
        self.title = title
        self.enabled = isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of `total`.
    public func update(_ done: Int64, of total: Int64) {
        guard enabled, total > 0 else { return }
        let percent = Int(min(100, done * 100 / total))
        lock.lock()
        defer { lock.unlock() }
        guard percent != lastDrawn else { return }
        lastDrawn = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Output.error("\r\(title) [\(bar)] \(percent)%")
    }

    /// Ends the bar's line.
    public func finish() {
        guard enabled, lastDrawn >= 0 else { return }
        Output.error("\n")
    }
}

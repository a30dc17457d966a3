import Foundation
import Synchronization

/// Writes to standard output and standard error without buffering, so that a line is out as soon
/// as it is written: a parent process that kills us finds every line we printed.
enum Output {
    private static let lock = Mutex(())

    static func write(_ text: String) {
        lock.withLock { _ in FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    static func error(_ text: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(text.utf8)) }
    }
}

/// ISO 8601 with fractional seconds, in UTC: how the CLI prints dates.
func timestamp(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
}

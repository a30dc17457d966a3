import ArgumentParser
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard output and standard error without buffering, so that a line is out as soon
/// as it is written: a parent process that kills us finds every line we printed.
///
/// A failed write to standard output (a full disk, a closed pipe's reader gone, …) is an error
/// the command reports and exits on (`EX_IOERR`, 74), never a crash and never output silently lost.
public enum Output {
    private static let lock = Mutex(())

    /// The exit code of a command whose output could not be written (`EX_IOERR`).
    public static let ioErrorExitCode: Int32 = 74

    /// Writes `text` to standard output.
    /// - Throws: `ExitCode(74)` after saying on standard error why the output could not be written.
    public static func write(_ text: String) throws {
        let failure = lock.withLock { _ in writeAll(Array(text.utf8), to: STDOUT_FILENO) }
        if let failure {
            error("error: cannot write to standard output: \(String(cString: strerror(failure)))\n")
            throw ExitCode(ioErrorExitCode)
        }
    }

    /// Writes `text` to standard error; a failure there has nowhere to be reported and is ignored.
    public static func error(_ text: String) {
        _ = lock.withLock { _ in writeAll(Array(text.utf8), to: STDERR_FILENO) }
    }

    /// Writes every byte, going on after partial writes and interruptions; returns the `errno`
    /// of a failure.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }
}

extension Output {
    /// ISO 8601 with fractional seconds, in UTC: how the tools print dates.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Ends the process when the process that started it ends, if asked to through the environment.
///
/// A supervisor (a test, a script, a service manager) that starts `chronicle` or `bank` sets
/// `CHRONICLE_PARENT_PID` to its own pid; when that process is gone (this process was handed
/// to another parent), this one exits at once, as if killed, instead of running on unattended.
/// A writer that exits this way is safe: its acknowledged appends are on disk.
public enum ParentWatch {
    /// The environment variable that names the parent to watch.
    public static let environmentKey = "CHRONICLE_PARENT_PID"

    /// Starts watching when the environment asks for it; does nothing otherwise.
    public static func startIfRequested() {
        guard let value = ProcessInfo.processInfo.environment[environmentKey], let parent = Int32(value), parent > 1 else { return }
        let thread = Thread {
            while getppid() == parent { usleep(100_000) }
            _exit(137)
        }
        thread.name = "chronicle.parent-watch"
        thread.start()
    }
}

extension AsyncParsableCommand {
    /// Parses the arguments (`nil`: the process's own) and runs the command, like `main()`,
    /// after starting the ``ParentWatch`` when the environment asks for it.
    public static func mainWatchingParent(_ arguments: [String]? = nil) async {
        ParentWatch.startIfRequested()
        do {
            var command = try parseAsRoot(arguments)
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A process a test started. It is killed when the value goes away, whatever the test's outcome,
/// and it exits by itself if the test process dies first (``CLIProcess`` sets
/// `CHRONICLE_PARENT_PID`, which the Chronicle tools watch).
public final class ChildProcess: @unchecked Sendable {
    // Process is not Sendable; it is only touched through the methods below, which are safe to
    // call from any thread.
    private let process: Process
    private final class ExitState: Sendable {
        let mutex = Mutex<(done: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))
        func withLock<T>(_ body: (inout (done: Bool, waiting: [CheckedContinuation<Void, Never>])) -> T) -> T { mutex.withLock { body(&$0) } }
    }
    private let exited = ExitState()
    /// Files holding the child's standard output and error.
    public let stdout: String, stderr: String

    init(process: Process, stdout: String, stderr: String) {
        self.process = process
        self.stdout = stdout
        self.stderr = stderr
        process.terminationHandler = { [exited] _ in
            let waiting = exited.withLock { state -> [CheckedContinuation<Void, Never>] in
                state.done = true
                defer { state.waiting = [] }
                return state.waiting
            }
            for continuation in waiting { continuation.resume() }
        }
    }

    deinit {
        if !exited.withLock({ $0.done }) { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    /// The child's pid.
    public var processIdentifier: Int32 { process.processIdentifier }
    /// Whether the child still runs.
    public var isRunning: Bool { !exited.withLock { $0.done } }
    /// Its exit status, or the signal that ended it.
    public var terminationStatus: Int32 { process.terminationStatus }
    /// Whether it exited or was killed by a signal.
    public var terminationReason: Process.TerminationReason { process.terminationReason }

    /// Sends a signal to the child.
    public func signal(_ signal: Int32) {
        if isRunning { Glibc.kill(process.processIdentifier, signal) }
    }

    /// Suspends (without blocking a thread) until the child has exited.
    public func waitUntilExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = exited.withLock { state -> Bool in
                if !state.done { state.waiting.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }

    /// Kills the child and waits for it to be gone.
    public func terminate() async {
        signal(SIGKILL)
        await waitUntilExit()
    }

    fileprivate func run() throws {
        try process.run()
    }
}

/// Runs the `chronicle` executable built next to the test bundle.
public enum CLIProcess {
    /// The built `chronicle` executable: SwiftPM puts it next to the test bundle.
    public static var executable: String { executable(named: "chronicle") }

    /// The synthetic bank writer, `ChronicleBenchmarks workload`'s executable (start it with
    /// `workload` as its first argument): the process durability tests kill.
    public static var workload: String { executable(named: "ChronicleBenchmarks") }

    /// An executable built next to the test bundle.
    public static func executable(named name: String) -> String {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// How a run ended.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Starts `chronicle` (through `bash -c` when `shellPrefix` is given, e.g. to set limits) with
    /// standard output and error going to files in `folder`.
    public static func start(_ arguments: [String], in folder: TemporaryFolder, shellPrefix: String? = nil, executable: String = CLIProcess.executable) throws -> ChildProcess {
        let process = Process()
        let name = UUID().uuidString
        let stdout = folder.sub("\(name).out"), stderr = folder.sub("\(name).err")
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let quoted = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            // `exec` keeps this process the child's parent, for its parent watch.
            process.arguments = ["-c", shellPrefix + "; exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CHRONICLE_PARENT_PID"] = String(getpid())
        process.environment = environment
        let output = FileHandle(forWritingAtPath: stdout), errors = FileHandle(forWritingAtPath: stderr)
        process.standardOutput = output
        process.standardError = errors
        let child = ChildProcess(process: process, stdout: stdout, stderr: stderr)
        // The child has its own copies once it runs: this process's must be closed, or every
        // child run leaks two descriptors, and a long suite passes the 1,024 that Foundation's
        // select()-based process watching can handle (a child's exit then goes unnoticed).
        defer {
            try? output?.close()
            try? errors?.close()
        }
        try child.run()
        return child
    }

    /// Runs `chronicle` to the end.
    public static func run(_ arguments: [String], in folder: TemporaryFolder, shellPrefix: String? = nil, executable: String = CLIProcess.executable) async throws -> Outcome {
        let child = try start(arguments, in: folder, shellPrefix: shellPrefix, executable: executable)
        await child.waitUntilExit()
        return Outcome(status: child.terminationStatus, stdout: read(child.stdout), stderr: read(child.stderr))
    }

    /// A file's text, empty when it cannot be read.
    public static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

import Foundation

/// Runs the `chronicle` executable built next to the test bundle.
public enum CLIProcess {
    /// The built `chronicle` executable: SwiftPM puts it next to the test bundle.
    public static var executable: String { executable(named: "chronicle") }

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
    public static func start(_ arguments: [String], in folder: TemporaryFolder, shellPrefix: String? = nil, executable: String = CLIProcess.executable) throws -> (Process, stdout: String, stderr: String) {
        let process = Process()
        let name = UUID().uuidString
        let stdout = folder.sub("\(name).out"), stderr = folder.sub("\(name).err")
        _ = FileManager.default.createFile(atPath: stdout, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        if let shellPrefix {
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            let quoted = ([executable] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            process.arguments = ["-c", shellPrefix + "; exec " + quoted.joined(separator: " ")]
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        process.standardOutput = FileHandle(forWritingAtPath: stdout)
        process.standardError = FileHandle(forWritingAtPath: stderr)
        try process.run()
        return (process, stdout, stderr)
    }

    /// Runs `chronicle` to the end.
    public static func run(_ arguments: [String], in folder: TemporaryFolder, shellPrefix: String? = nil, executable: String = CLIProcess.executable) throws -> Outcome {
        let (process, stdout, stderr) = try start(arguments, in: folder, shellPrefix: shellPrefix, executable: executable)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: read(stdout), stderr: read(stderr))
    }

    /// A file's text, empty when it cannot be read.
    public static func read(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }
}

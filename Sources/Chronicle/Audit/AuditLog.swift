import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The command audit log of the write side: one JSON line per command, accepted or not, in
/// files `audit-00000001.jsonl`, … that rotate when they pass a size.
///
/// The audit log is a record for people, not the source of truth: lines are written as commands
/// end, without `fsync`, so a crash can lose the last few. The event log is always complete.
public final class AuditLog: AuditRecorder {
    /// The folder of the audit files.
    public let folder: String
    private let rotationSize: Int
    private let state: Locked<State>

    private struct State: Sendable {
        var file: LogFile?
        var number = 0
        var size: Int64 = 0
        var failed = false
    }

    /// Opens (or starts) an audit log in `folder`, rotating files past `rotationSize` bytes.
    public init(folder: String, rotationSize: Int = 16 << 20) throws {
        self.folder = folder
        self.rotationSize = rotationSize
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let last = try AuditLog.files(in: folder).last.map { AuditLog.number(of: $0) } ?? 1
        var state = State()
        state.number = last ?? 1
        let file = try LogFile.open(folder + "/" + AuditLog.fileName(state.number), writable: true, create: true)
        state.file = file
        state.size = try AuditLog.completeLength(of: file)
        self.state = Locked(state)
    }

    /// The audit log of a flat-file store (`STORE/audit`).
    public convenience init(store: FlatFileEventStore, rotationSize: Int = 16 << 20) throws {
        try self.init(folder: AuditLog.folder(ofStore: store.path), rotationSize: rotationSize)
    }

    /// The audit folder of the flat-file store in `path`.
    public static func folder(ofStore path: String) -> String { path + "/audit" }

    /// Appends an entry, on the runtime's I/O threads (see ``BlockingIOPool``). Failures to
    /// write are not the command's: they are reported once on standard error and the log goes on trying.
    public func write(_ entry: AuditEntry) async {
        await BlockingIOPool.shared.run { [self] in record(entry) }
    }

    /// Appends an entry on the calling thread. Failures to write are not the command's: they are
    /// reported once on standard error and the log goes on trying.
    public func record(_ entry: AuditEntry) {
        guard var line = try? AuditLog.encoder.encode(entry) else { return }
        line.append(UInt8(ascii: "\n"))
        let bytes = [UInt8](line)
        state.withLock { state in
            do {
                if state.size > 0, state.size + Int64(bytes.count) > Int64(rotationSize) {
                    state.number += 1
                    state.file = try LogFile.open(folder + "/" + AuditLog.fileName(state.number), writable: true, create: true)
                    state.size = try state.file?.size() ?? 0
                }
                do {
                    try state.file?.write(bytes, at: state.size)
                } catch {
                    // A line written in part (a full disk) must not run into the next one.
                    try? state.file?.truncate(to: state.size)
                    throw error
                }
                state.size += Int64(bytes.count)
                state.failed = false
            } catch {
                if !state.failed {
                    let message = Array("chronicle: audit log: \(error)\n".utf8)
                    _ = message.withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                }
                state.failed = true
            }
        }
    }

    /// The length of the file's complete lines: an unfinished last line (a crash or a full disk
    /// while writing it) is cut off, so the next line starts on a line of its own.
    private static func completeLength(of file: LogFile) throws -> Int64 {
        let size = try file.size()
        guard size > 0 else { return 0 }
        var end = size
        while end > 0 {
            let start = max(0, end - 4_096)
            let chunk = try file.read(count: Int(end - start), at: start)
            if let newline = chunk.lastIndex(of: UInt8(ascii: "\n")) {
                let complete = start + Int64(newline) + 1
                if complete < size { try file.truncate(to: complete) }
                return complete
            }
            end = start
        }
        try file.truncate(to: 0)
        return 0
    }

    /// The entries of this log's folder from `since` on (all when `nil`), oldest first, only
    /// those that recorded nothing when `rejectedOnly` is set.
    public func entries(since: Date?, rejectedOnly: Bool) async throws -> [AuditEntry] {
        try await BlockingIOPool.shared.run { [folder] in try AuditLog.entries(in: folder, since: since, rejectedOnly: rejectedOnly) }
    }

    /// The entries in `folder` from `since` on (all when `nil`), oldest first, only those that
    /// recorded nothing when `rejectedOnly` is set.
    public static func entries(in folder: String, since: Date?, rejectedOnly: Bool) throws -> [AuditEntry] {
        try entries(in: folder).filter { entry in
            (since.map { entry.at >= $0 } ?? true) && (!rejectedOnly || entry.outcome.recordedNothing)
        }
    }

    /// Every entry in `folder`, oldest first; lines that do not decode (a torn last line) are skipped.
    public static func entries(in folder: String) throws -> [AuditEntry] {
        var entries: [AuditEntry] = []
        for name in try files(in: folder) {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
            for line in data.split(separator: UInt8(ascii: "\n")) {
                if let entry = try? decoder.decode(AuditEntry.self, from: Data(line)) { entries.append(entry) }
            }
        }
        return entries
    }

    static func files(in folder: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { number(of: $0) != nil }.sorted()
    }

    static func fileName(_ number: Int) -> String { "audit-" + String(number).leftPadded(to: 8) + ".jsonl" }

    static func number(of name: String) -> Int? {
        guard name.hasPrefix("audit-"), name.hasSuffix(".jsonl") else { return nil }
        return Int(name.dropFirst(6).dropLast(6))
    }

    private static var encoder: JSONEncoder { AuditEntry.encoder }
    private static var decoder: JSONDecoder { AuditEntry.decoder }
}

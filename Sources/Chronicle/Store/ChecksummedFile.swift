import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small file whose every byte is checksummed, written atomically: a header line
/// `MAGIC FIELD… CRC32C` and then the body, where the CRC-32C covers the header up to (not
/// including) the space before the checksum, and then the body. Snapshots and view files use it.
///
/// Nothing that is trusted lies outside the checksum: an edited position, version or
/// fingerprint in the header fails the check exactly like a damaged body.
enum ChecksummedFile {
    /// What reading a file found.
    enum Contents {
        /// There is no such file.
        case missing
        /// The file is there but cannot be trusted; the reason says why.
        case damaged(String)
        /// The header fields (between the magic and the checksum) and the body.
        case intact(fields: [String], body: [UInt8])
    }

    /// Writes the file under a temporary name of this process, flushes it, and renames it into
    /// place: a crash leaves the previous complete file or the new one. `durable` also flushes the
    /// folder. On failure (say, a full disk) the temporary file is removed, so it holds no space.
    static func write(_ path: String, magic: String, fields: [String], body: [UInt8], durable: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let covered = ([magic] + fields).joined(separator: " ")
        let checksum = CRC32C.checksum(body, continuing: CRC32C.checksum(Array(covered.utf8)))
        let header = covered + " " + String(checksum) + "\n"
        // A name of this process's own: two processes persisting one view never share a temporary file.
        let temporary = path + "." + String(getpid()) + ".tmp"
        do {
            let file = try LogFile.open(temporary, writable: true, create: true)
            try file.truncate(to: 0)
            try file.write(Array(header.utf8) + body, at: 0)
            if durable { try file.sync() }
            guard rename(temporary, path) == 0 else { throw LogFile.error("rename", path) }
        } catch {
            unlink(temporary)
            throw error
        }
        if durable { try LogFile.syncDirectory(folder) }
    }

    /// Reads the file and checks it starts with `magic`, has `fieldCount` fields, and matches
    /// its checksum.
    static func read(_ path: String, magic: String, fieldCount: Int) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            return FileManager.default.fileExists(atPath: path) ? .damaged("the file cannot be read") : .missing
        }
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return .damaged("the header line is unfinished") }
        let headerBytes = [UInt8](data[..<newline])
        guard let lastSpace = headerBytes.lastIndex(of: UInt8(ascii: " ")) else { return .damaged("the header has no checksum") }
        let covered = Array(headerBytes[..<lastSpace])
        let fields = String(decoding: covered, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        guard fields.first == magic else { return .damaged("it does not start with '\(magic)'") }
        guard fields.count == fieldCount + 1 else { return .damaged("the header has \(fields.count - 1) fields, expected \(fieldCount)") }
        guard let expected = UInt32(String(decoding: headerBytes[(lastSpace + 1)...], as: UTF8.self)) else {
            return .damaged("the header's checksum is not a number")
        }
        let body = [UInt8](data[(newline + 1)...])
        guard CRC32C.checksum(body, continuing: CRC32C.checksum(covered)) == expected else { return .damaged("its checksum does not match its contents") }
        return .intact(fields: Array(fields.dropFirst()), body: body)
    }

    /// Removes temporary files in `folder` that were left by processes that are gone (a crash
    /// while writing), so they hold no disk space.
    static func removeAbandonedTemporaries(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".")
            // NAME.KIND.PID.tmp: gone when no process has that pid. Older names without a pid too.
            if parts.count >= 3, let pid = pid_t(parts[parts.count - 2]), pid > 0, kill(pid, 0) == 0 || errno != ESRCH { continue }
            unlink(folder + "/" + name)
        }
    }
}

import Foundation

/// A small file with a checksummed body, written atomically: a header line
/// `MAGIC FIELD… CRC32C` and then the body. Reading gives `nil` for a missing, torn or damaged
/// file. Snapshots and view files use it.
enum ChecksummedFile {
    /// Writes the file under a temporary name, flushes it, and renames it into place: a crash
    /// leaves the previous complete file or the new one. `durable` also flushes the folder.
    static func write(_ path: String, magic: String, fields: [String], body: [UInt8], durable: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let header = ([magic] + fields + [String(CRC32C.checksum(body))]).joined(separator: " ") + "\n"
        let temporary = path + ".tmp"
        let file = try LogFile.open(temporary, writable: true, create: true)
        try file.truncate(to: 0)
        try file.write(Array(header.utf8) + body, at: 0)
        if durable { try file.sync() }
        guard rename(temporary, path) == 0 else { throw LogFile.error("rename", path) }
        if durable { try LogFile.syncDirectory(folder) }
    }

    /// The header fields (between the magic and the checksum) and the body, when the file is
    /// there, starts with `magic`, has `fieldCount` fields, and its body matches its checksum.
    static func read(_ path: String, magic: String, fieldCount: Int) -> (fields: [String], body: [UInt8])? {
        guard let data = FileManager.default.contents(atPath: path), let newline = data.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: data[..<newline], as: UTF8.self).split(separator: " ").map(String.init)
        guard header.count == fieldCount + 2, header[0] == magic, let crc = UInt32(header[header.count - 1]) else { return nil }
        let body = [UInt8](data[(newline + 1)...])
        guard CRC32C.checksum(body) == crc else { return nil }
        return (Array(header[1..<header.count - 1]), body)
    }
}

import Foundation
import Logging

/// Online, consistent, incremental backups of a flat-file store, and their restore.
///
/// A backup is itself a store folder (so `chronicle verify` and a read-only store open it) plus
/// a manifest with each segment's length and checksum. It holds the log up to a committed
/// position: taken while a writer appends, it copies each segment only up to the end of the
/// records committed when the backup started. A sealed segment already in the backup with the
/// same length is not copied again. Views, snapshots and the audit log are not backed up: views
/// and snapshots are rebuilt from the log, and the audit log is a record kept with the store.
public enum StoreBackup {
    /// What a backup did.
    public struct Report: Sendable, Hashable {
        /// Segments copied now.
        public var copiedSegments: Int
        /// Sealed segments already in the backup.
        public var skippedSegments: Int
        /// Bytes copied now.
        public var copiedBytes: Int64
        /// The last position in the backup.
        public var lastPosition: Int64
    }

    /// Backs up the store in `store` to the folder `destination` (created, or updated when it
    /// holds an earlier backup). Works while another process writes to the store.
    /// - Parameters:
    ///   - progress: called with (bytes done, bytes to copy).
    ///   - logger: told "backup written" (info) with what was copied. Silent by default.
    public static func backup(storeAt store: String, to destination: String, logger: Logger = Observability.silentLogger,
                              progress: (Int64, Int64) -> Void = { _, _ in }) throws -> Report {
        let source = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true, createIfMissing: false))
        let committed = try source.committedSegments()
        let (segments, lastPosition) = (committed.segments, committed.lastPosition)
        let target = StoreLayout(root: destination)
        let files = FileManager.default
        let previous = readManifest(destination)
        if previous == nil, files.fileExists(atPath: destination), !((try? files.contentsOfDirectory(atPath: destination)) ?? []).isEmpty {
            throw EventStoreError.notAStore(path: destination, reason: "the folder is not empty and holds no backup")
        }
        try target.prepare(create: true)
        var manifest = BackupManifest(createdAt: Date(), lastPosition: lastPosition, files: [])
        var report = Report(copiedSegments: 0, skippedSegments: 0, copiedBytes: 0, lastPosition: lastPosition)
        let unchanged = Dictionary((previous?.files ?? []).filter(\.sealed).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let total = segments.filter { unchanged[$0.fileName]?.bytes != $0.length }.reduce(Int64(0)) { $0 + $1.length }
        var done: Int64 = 0
        for segment in segments {
            if segment.isSealed, let kept = unchanged[segment.fileName], kept.bytes == segment.length,
               files.fileExists(atPath: target.logDirectory + "/" + segment.fileName) {
                manifest.files.append(kept)
                report.skippedSegments += 1
                continue
            }
            let crc = try copy(segment.path, length: segment.length, to: target.logDirectory + "/" + segment.fileName) { copied in
                progress(done + copied, total)
            }
            done += segment.length
            manifest.files.append(BackupManifest.File(name: segment.fileName, bytes: segment.length, crc32c: crc, sealed: segment.isSealed))
            report.copiedSegments += 1
            report.copiedBytes += segment.length
        }
        // The copies' names must be durable before the manifest that lists them is.
        try LogFile.syncDirectory(target.logDirectory)
        try writeManifest(manifest, to: destination)
        logger.info("backup written", metadata: [
            "chronicle.store": "\(store)", "chronicle.backup": "\(destination)", "chronicle.last_position": "\(lastPosition)",
            "chronicle.copied_segments": "\(report.copiedSegments)", "chronicle.skipped_segments": "\(report.skippedSegments)",
            "chronicle.copied_bytes": "\(report.copiedBytes)",
        ])
        return report
    }

    /// Problems with a backup's files against its manifest: missing files, other lengths, other
    /// checksums. Empty when the folder has no manifest or everything matches.
    public static func manifestProblems(backupAt path: String) throws -> [String] {
        guard let manifest = readManifest(path) else { return [] }
        let layout = StoreLayout(root: path)
        var problems: [String] = []
        for file in manifest.files {
            let filePath = layout.logDirectory + "/" + file.name
            guard let handle = try? LogFile.open(filePath, writable: false) else {
                problems.append("\(filePath): missing")
                continue
            }
            let size = try handle.size()
            guard size == file.bytes else {
                problems.append("\(filePath): \(size) bytes, the manifest says \(file.bytes)")
                continue
            }
            let crc = try checksum(handle, length: size)
            if crc != file.crc32c { problems.append("\(filePath): checksum \(crc), the manifest says \(file.crc32c)") }
        }
        return problems
    }

    /// Restores a backup into `store`, which must not exist or be empty; returns the number of
    /// events restored.
    ///
    /// - **Trust.** A backup is restored only when everything checks: its manifest is there and
    ///   readable, it lists exactly the segment files present, each file has the manifest's length
    ///   and checksum, every record verifies, the log ends exactly at the manifest's last position,
    ///   and nothing in it is unfinished. Anything else throws, and nothing is written.
    /// - **Atomic.** The store is built beside `store` (`STORE.restoring`), flushed, and renamed
    ///   into place: a restore that is killed or fails leaves `store` as it was, and running it
    ///   again starts over (it removes what an earlier attempt left).
    public static func restore(backupAt backup: String, to store: String, progress: (Int64, Int64) -> Void = { _, _ in }) throws -> Int64 {
        let source = StoreLayout(root: backup)
        try source.prepare(create: false)
        guard FileManager.default.fileExists(atPath: backup + "/" + BackupManifest.fileName) else {
            throw EventStoreError.notAStore(path: backup, reason: "the backup has no \(BackupManifest.fileName), so its files cannot be checked")
        }
        guard let manifest = readManifest(backup) else {
            throw EventStoreError.notAStore(path: backup, reason: "\(BackupManifest.fileName) cannot be read, so the backup's files cannot be checked")
        }
        let segments = try source.segmentNumbers()
        let listed = manifest.files.map(\.name)
        let present = segments.map(Segment.fileName)
        guard listed == present else {
            throw EventStoreError.notAStore(
                path: backup, reason: "the backup holds segments \(present.joined(separator: ", ")), its manifest lists \(listed.joined(separator: ", "))")
        }
        let problems = try manifestProblems(backupAt: backup)
        guard problems.isEmpty else { throw EventStoreError.notAStore(path: backup, reason: "the backup does not match its manifest: " + problems.joined(separator: "; ")) }
        let report = try LogVerifier.verify(storeAt: backup)
        if let damage = report.damage { throw EventStoreError.corrupted(file: damage.file, offset: damage.offset, reason: damage.reason) }
        if let torn = report.tornTail {
            throw EventStoreError.corrupted(file: torn.file, offset: torn.offset, reason: "a backup holds only committed records, but this one ends with \(torn.length) unfinished bytes")
        }
        guard report.events == manifest.lastPosition else {
            throw EventStoreError.notAStore(path: backup, reason: "the log ends at position \(report.events), the manifest says \(manifest.lastPosition)")
        }

        let files = FileManager.default
        let target = StoreLayout(root: store).root
        if files.fileExists(atPath: target), !((try? files.contentsOfDirectory(atPath: target)) ?? []).isEmpty {
            throw EventStoreError.notAStore(path: store, reason: "restore needs a new or empty folder")
        }
        guard !target.trimmingCharacters(in: .whitespaces).isEmpty else { throw EventStoreError.notAStore(path: store, reason: "the path is empty") }
        let aside = StoreLayout(root: target + ".restoring")
        // What a killed or failed attempt left is ours to remove: start over.
        if files.fileExists(atPath: aside.root) {
            do {
                try files.removeItem(atPath: aside.root)
            } catch {
                throw EventStoreError.io(operation: "remove an earlier attempt", path: aside.root, underlying: error)
            }
        }
        try aside.prepare(create: true)
        let sizes = manifest.files.map(\.bytes)
        let total = sizes.reduce(0, +)
        var done: Int64 = 0
        for (number, size) in zip(segments, sizes) {
            _ = try copy(source.segmentPath(number), length: size, to: aside.segmentPath(number)) { progress(done + $0, total) }
            done += size
        }
        try LogFile.syncDirectory(aside.logDirectory)
        // rename(2) puts the whole folder in place at once, also over an empty folder.
        guard rename(aside.root, target) == 0 else { throw LogFile.error("rename", target) }
        try LogFile.syncDirectory((target as NSString).deletingLastPathComponent.isEmpty ? "." : (target as NSString).deletingLastPathComponent)
        return report.events
    }

    /// Copies the first `length` bytes of a file durably (temporary name, fsync, rename); returns their CRC-32C.
    private static func copy(_ source: String, length: Int64, to destination: String, progress: (Int64) -> Void) throws -> UInt32 {
        let input = try LogFile.open(source, writable: false)
        let temporary = destination + ".tmp"
        let output = try LogFile.open(temporary, writable: true, create: true)
        try output.truncate(to: 0)
        var offset: Int64 = 0
        var crc: UInt32 = 0
        while offset < length {
            let chunk = try input.read(count: Int(min(Int64(8 << 20), length - offset)), at: offset)
            guard !chunk.isEmpty else { throw EventStoreError.corrupted(file: source, offset: offset, reason: "the file is shorter than its committed length \(length)") }
            crc = chunk.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
            try output.write(chunk, at: offset)
            offset += Int64(chunk.count)
            progress(offset)
        }
        try output.sync()
        guard rename(temporary, destination) == 0 else { throw LogFile.error("rename", destination) }
        return crc
    }

    private static func checksum(_ file: LogFile, length: Int64) throws -> UInt32 {
        var offset: Int64 = 0
        var crc: UInt32 = 0
        while offset < length {
            let chunk = try file.read(count: Int(min(Int64(8 << 20), length - offset)), at: offset)
            if chunk.isEmpty { break }
            crc = chunk.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
            offset += Int64(chunk.count)
        }
        return crc
    }

    static func readManifest(_ folder: String) -> BackupManifest? {
        guard let data = FileManager.default.contents(atPath: folder + "/" + BackupManifest.fileName) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(BackupManifest.self, from: data)
    }

    private static func writeManifest(_ manifest: BackupManifest, to folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let path = folder + "/" + BackupManifest.fileName
        let file = try LogFile.open(path + ".tmp", writable: true, create: true)
        try file.truncate(to: 0)
        try file.write(Array(try encoder.encode(manifest)), at: 0)
        try file.sync()
        guard rename(path + ".tmp", path) == 0 else { throw LogFile.error("rename", path) }
        try LogFile.syncDirectory(folder)
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a flat-file store folder:
///
/// ```
/// STORE/
///   chronicle-store      marker: format name and version
///   write.lock           the pid of the one writing process (the lock itself is an flock on
///                        the store folder, which cannot be swapped under the writer)
///   committed            the commit checkpoint: where the committed log ends
///   log/segment-00000001.log, segment-00000002.log, …
///   recovered/           torn tails cut off at open, kept for inspection
/// ```
struct StoreLayout: Sendable {
    static let markerContents = "chronicle-store 1\n"

    let root: String
    var marker: String { root + "/chronicle-store" }
    var lockFile: String { root + "/write.lock" }
    var checkpointFile: String { root + "/committed" }
    var logDirectory: String { root + "/log" }
    var recoveredDirectory: String { root + "/recovered" }
    func segmentPath(_ number: Int) -> String { logDirectory + "/" + Segment.fileName(number) }

    init(root: String) {
        var root = root
        while root.count > 1, root.hasSuffix("/") { root.removeLast() }
        self.root = root
    }

    /// Checks that the folder is a store, creating an empty one when allowed.
    func prepare(create: Bool) throws {
        // An empty path would put the store's files at the file system's root.
        guard !root.trimmingCharacters(in: .whitespaces).isEmpty else { throw EventStoreError.notAStore(path: root, reason: "the path is empty") }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: marker) {
            let contents = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
            guard contents == StoreLayout.markerContents else {
                throw EventStoreError.notAStore(path: root, reason: "unsupported store format '\(contents.trimmingCharacters(in: .whitespacesAndNewlines))'")
            }
            return
        }
        guard create else { throw EventStoreError.notAStore(path: root, reason: "no chronicle-store marker file") }
        if files.fileExists(atPath: root, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw EventStoreError.notAStore(path: root, reason: "it is a file") }
            let entries = (try? files.contentsOfDirectory(atPath: root)) ?? []
            guard entries.isEmpty else {
                throw EventStoreError.notAStore(path: root, reason: "the folder is not empty and has no chronicle-store marker")
            }
        }
        do {
            try files.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        } catch {
            throw EventStoreError.io(operation: "create folder", path: logDirectory, underlying: error)
        }
        let temporary = marker + ".tmp"
        let file = try LogFile.open(temporary, writable: true, create: true)
        try file.write(Array(StoreLayout.markerContents.utf8), at: 0)
        try file.sync()
        guard rename(temporary, marker) == 0 else { throw LogFile.error("rename", marker) }
        try LogFile.syncDirectory(logDirectory)
        try LogFile.syncDirectory(root)
    }

    /// Whether a process holds the store's write lock now. Probing takes a shared lock for an
    /// instant, which a writer opening at that moment tolerates (it retries).
    func writerIsLive() -> Bool {
        guard let folder = try? LogFile.open(root, writable: false) else { return false }
        if flock(folder.descriptor, LOCK_SH | LOCK_NB) == 0 {
            _ = flock(folder.descriptor, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    /// The bytes free for this process on the log's file system, when it can be told.
    func freeBytes() -> Int64? {
        var stats = statvfs()
        guard statvfs(logDirectory, &stats) == 0 else { return nil }
        let (bytes, overflow) = Int64(clamping: stats.f_bavail).multipliedReportingOverflow(by: Int64(clamping: stats.f_frsize))
        return overflow ? .max : bytes
    }

    /// Removes next segments that a previous writer prepared but never put in place (the writer
    /// holds the lock: nobody else prepares them).
    /// A finished next segment (flushed, then renamed to `.next`) is kept: the writer puts it in
    /// place when it needs it.
    func removeUnfinishedSegments() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? []
        for name in names {
            let finishedButInPlace = name.hasSuffix(".log.next") && names.contains(String(name.dropLast(".next".count)))
            if name.hasSuffix(".log.next.tmp") || finishedButInPlace { unlink(logDirectory + "/" + name) }
        }
    }

    /// The numbers of the segment files present, in order; they must run from 1 without a gap.
    func segmentNumbers() throws -> [Int] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: logDirectory)
        } catch {
            throw EventStoreError.notAStore(path: root, reason: "cannot list \(logDirectory): \(error.localizedDescription)")
        }
        let numbers = names.compactMap(Segment.number(fromFileName:)).sorted()
        for (index, number) in numbers.enumerated() where number != index + 1 {
            throw EventStoreError.corrupted(file: segmentPath(index + 1), offset: 0, reason: "segment \(index + 1) is missing")
        }
        return numbers
    }

    /// Creates segment `number` durably: its header, then zeros up to `size` bytes, written under
    /// a temporary name and renamed into place, so that the segment appears whole or not at all.
    /// Writing the zeros up front lets each later append's `fdatasync` flush data alone, without
    /// also committing a new file size and newly allocated blocks.
    func createSegment(_ number: Int, size: Int) throws -> Segment {
        let file = try prepareSegmentFile(number, size: size)
        return try installSegment(number, file: file)
    }

    /// Writes segment `number` under its temporary name (see ``createSegment(_:size:)``).
    func prepareSegmentFile(_ number: Int, size: Int) throws -> LogFile {
        let path = segmentPath(number) + ".next"
        // One prepared earlier (by a writer that closed before it was needed) is used as it is.
        if let prepared = try? LogFile.open(path, writable: true), (try? prepared.size()) == Int64(size),
           let header = try? prepared.read(count: Segment.headerLength, at: 0), header.count == Segment.headerLength,
           header.withUnsafeBytes({ Segment.headerProblem($0, number: number) }) == nil {
            return prepared
        }
        // Written under a name of its own and renamed once flushed: a `.next` file is always whole.
        let temporary = path + ".tmp"
        do {
            let file = try LogFile.open(temporary, writable: true, create: true)
            try file.truncate(to: 0)
            try file.write(Segment.header(number: number), at: 0)
            let headerLength = Int64(Segment.headerLength)
            try file.writeZeros(at: headerLength, count: max(0, Int64(size) - headerLength))
            try file.sync()
            guard rename(temporary, path) == 0 else { throw LogFile.error("rename", path) }
            return file
        } catch {
            // A half-written segment (a full disk) would hold the space the current one needs.
            unlink(temporary)
            throw error
        }
    }

    /// Renames a prepared segment file into place, durably.
    func installSegment(_ number: Int, file: LogFile) throws -> Segment {
        let final = segmentPath(number)
        guard rename(final + ".next", final) == 0 else { throw LogFile.error("rename", final) }
        try LogFile.syncDirectory(logDirectory)
        return Segment(number: number, file: file)
    }

    /// Overwrites a torn tail with zeros, durably, so that the log ends where its valid records do.
    func cut(_ torn: TornTail, in file: LogFile) throws {
        try file.writeZeros(at: torn.offset, count: torn.length)
        try file.syncData()
    }

    /// Copies a torn tail's bytes to `recovered/` before a writer cuts them off, durably, and
    /// returns the copy's path (`nil` when the tail held no bytes).
    @discardableResult
    func salvage(_ torn: TornTail, from file: LogFile) throws -> String? {
        guard torn.length > 0 else { return nil }
        do {
            try FileManager.default.createDirectory(atPath: recoveredDirectory, withIntermediateDirectories: true)
        } catch {
            throw EventStoreError.io(operation: "create folder", path: recoveredDirectory, underlying: error)
        }
        let name = (torn.file as NSString).lastPathComponent + ".offset-\(torn.offset).torn"
        let copy = try LogFile.open(recoveredDirectory + "/" + name, writable: true, create: true)
        try copy.truncate(to: 0)
        try copy.write(try file.read(count: Int(torn.length), at: torn.offset), at: 0)
        try copy.sync()
        try LogFile.syncDirectory(recoveredDirectory)
        return recoveredDirectory + "/" + name
    }
}

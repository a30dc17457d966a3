import Foundation

/// The files of a flat-file store folder:
///
/// ```
/// STORE/
///   chronicle-store      marker: format name and version
///   write.lock           held (flock) by the one writing process; holds its pid
///   log/segment-00000001.log, segment-00000002.log, …
///   recovered/           torn tails cut off at open, kept for inspection
/// ```
struct StoreLayout: Sendable {
    static let markerContents = "chronicle-store 1\n"

    let root: String
    var marker: String { root + "/chronicle-store" }
    var lockFile: String { root + "/write.lock" }
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
            throw EventStoreError.io(operation: "create folder", path: logDirectory, errno: 0, message: "\(error)")
        }
        let temporary = marker + ".tmp"
        let file = try LogFile.open(temporary, writable: true, create: true)
        try file.write(Array(StoreLayout.markerContents.utf8), at: 0)
        try file.sync()
        guard rename(temporary, marker) == 0 else { throw LogFile.error("rename", marker) }
        try LogFile.syncDirectory(logDirectory)
        try LogFile.syncDirectory(root)
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

    /// Creates segment `number` with its header, durably.
    func createSegment(_ number: Int) throws -> Segment {
        let path = segmentPath(number)
        let file = try LogFile.open(path, writable: true, create: true)
        try file.truncate(to: 0)
        try file.write(Segment.header(number: number), at: 0)
        try file.sync()
        try LogFile.syncDirectory(logDirectory)
        return Segment(number: number, file: file)
    }

    /// Copies a torn tail's bytes to `recovered/` before a writer cuts them off, durably.
    func salvage(_ torn: TornTail, from file: LogFile) throws {
        guard torn.length > 0 else { return }
        do {
            try FileManager.default.createDirectory(atPath: recoveredDirectory, withIntermediateDirectories: true)
        } catch {
            throw EventStoreError.io(operation: "create folder", path: recoveredDirectory, errno: 0, message: "\(error)")
        }
        let name = (torn.file as NSString).lastPathComponent + ".offset-\(torn.offset).torn"
        let copy = try LogFile.open(recoveredDirectory + "/" + name, writable: true, create: true)
        try copy.truncate(to: 0)
        try copy.write(try file.read(count: Int(torn.length), at: torn.offset), at: 0)
        try copy.sync()
        try LogFile.syncDirectory(recoveredDirectory)
    }
}

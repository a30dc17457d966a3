import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What opening a log found at its end.
public struct TornTail: Hashable, Sendable, CustomStringConvertible {
    /// The segment file.
    public var file: String
    /// Where the unfinished bytes start.
    public var offset: Int64
    /// How many bytes follow from there.
    public var length: Int64

    /// Creates a description of a torn tail.
    public init(file: String, offset: Int64, length: Int64) {
        self.file = file
        self.offset = offset
        self.length = length
    }

    public var description: String { "\(file): byte offset \(offset): torn tail of \(length) bytes (an unfinished write)" }
}

/// Builds a ``LogIndex`` from the segment files, verifying every record on the way.
enum LogLoader {
    struct Loaded {
        var index: LogIndex
        var tornTail: TornTail?
        /// How many records came from the saved index (0 when it was not used).
        var savedRecords = 0
    }

    /// Reads every segment. When `writable`, the segment files are opened for writing; a torn tail
    /// is only reported, never cut, here.
    ///
    /// A reader (`writable` false) beside a live writer reads exactly the committed log, up to the
    /// writer's ``CommitCheckpoint``: damage before it is damage, bytes after it are a write in
    /// progress and not read. Without a live writer, the log's end is found by scanning, and a
    /// checkpoint pointing into a segment that is not there reports that segment missing.
    ///
    /// With `useSavedIndex`, a ``SavedIndex`` that matches the log spares rebuilding the index
    /// from the records it covers (their checksums are still all checked); verification does
    /// without it, to check every record's contents too.
    static func load(_ layout: StoreLayout, writable: Bool, useSavedIndex: Bool = true, progress: ((Int64, Int64) -> Void)? = nil) throws -> Loaded {
        if writable { return try load(layout, writable: true, committed: nil, useSavedIndex: useSavedIndex, progress: progress) }
        var attempts = 0
        while true {
            let live = layout.writerIsLive()
            let checkpoint = live ? CommitCheckpoint.read(layout) : nil
            do {
                return try load(layout, writable: false, committed: checkpoint, useSavedIndex: useSavedIndex, progress: progress)
            } catch let error as EventStoreError {
                // A writer that started while this read ran may have been writing what looked
                // damaged: read again under its checkpoint.
                guard case .corrupted = error, checkpoint == nil, layout.writerIsLive(), attempts < 3 else { throw error }
                attempts += 1
            }
        }
    }

    private static func load(
        _ layout: StoreLayout, writable: Bool, committed: CommitCheckpoint?, useSavedIndex: Bool, progress: ((Int64, Int64) -> Void)?
    ) throws -> Loaded {
        var index = LogIndex()
        var tornTail: TornTail?
        var numbers = try layout.segmentNumbers()
        if let committed {
            // Segments after the checkpoint's are being written: not committed yet.
            numbers = numbers.filter { $0 <= committed.segment }
            guard numbers.last == committed.segment else {
                throw EventStoreError.corrupted(
                    file: layout.segmentPath(committed.segment), offset: 0,
                    reason: "segment \(committed.segment) is missing: the commit checkpoint records committed events in it")
            }
        } else if let checkpoint = CommitCheckpoint.read(layout), checkpoint.segment > (numbers.last ?? 0) {
            throw EventStoreError.corrupted(
                file: layout.segmentPath(checkpoint.segment), offset: 0,
                reason: "segment \(checkpoint.segment) is missing: the commit checkpoint records events up to position \(checkpoint.lastPosition) in it")
        }
        // The records a saved index covers are checked, not decoded again; the rest is scanned.
        var resume: (segment: Int, offset: Int64)?
        var savedRecords = 0
        if useSavedIndex, let saved = SavedIndex.read(layout),
           let restored = try? restore(saved, layout: layout, numbers: numbers, writable: writable, committed: committed) {
            index = restored
            resume = (saved.segmentCount - 1, saved.endOffset)
            savedRecords = saved.records.count
        }
        var sizes: [Int64] = []
        if progress != nil {
            sizes = numbers.map { (try? FileManager.default.attributesOfItem(atPath: layout.segmentPath($0))[.size] as? Int64) ?? 0 }
        }
        let total = sizes.reduce(0, +)
        var done: Int64 = 0
        for (position, number) in numbers.enumerated() {
            defer {
                if let progress, position < sizes.count {
                    done += sizes[position]
                    progress(done, total)
                }
            }
            let isLast = number == numbers.last
            let path = layout.segmentPath(number)
            if let resume, position <= resume.segment {
                // Restored from the saved index: only what was added after it in its last segment.
                guard position == resume.segment else { continue }
                let segment = index.segments[position]
                let size = try segment.file.size()
                if let committed, isLast, committed.endOffset > size {
                    throw EventStoreError.corrupted(file: path, offset: size, reason: "segment ends before its committed end at byte offset \(committed.endOffset)")
                }
                let end = committed.map { isLast ? $0.endOffset : size } ?? size
                tornTail = try scanRecords(of: segment.file, path: path, size: end, from: resume.offset, isLastSegment: isLast && committed == nil, into: &index)
                if tornTail != nil { break }
                continue
            }
            let file = try LogFile.open(path, writable: writable && isLast)
            let size = try file.size()
            index.addSegment(Segment(number: number, file: file))
            if size < Int64(Segment.headerLength) {
                // A crash while the segment was being created: only possible for the last one.
                guard isLast, committed == nil else {
                    throw EventStoreError.corrupted(file: path, offset: 0, reason: "segment header is truncated")
                }
                tornTail = TornTail(file: path, offset: 0, length: size)
                break
            }
            let header = try file.read(count: Segment.headerLength, at: 0)
            if let problem = header.withUnsafeBytes({ Segment.headerProblem($0, number: number) }) {
                throw EventStoreError.corrupted(file: path, offset: 0, reason: problem)
            }
            if let committed, isLast {
                // The committed part of the segment being written: every byte must be a valid record.
                guard committed.endOffset <= size else {
                    throw EventStoreError.corrupted(file: path, offset: size, reason: "segment ends before its committed end at byte offset \(committed.endOffset)")
                }
                _ = try scanRecords(of: file, path: path, size: committed.endOffset, from: Int64(Segment.headerLength), isLastSegment: false, into: &index)
            } else {
                tornTail = try scanRecords(of: file, path: path, size: size, from: Int64(Segment.headerLength), isLastSegment: isLast && committed == nil, into: &index)
            }
            if tornTail != nil { break }
        }
        return Loaded(index: index, tornTail: tornTail, savedRecords: savedRecords)
    }

    /// The index a saved index describes, once every record it covers is found in the log where
    /// it says, whole, with the same length, checksum and first position; throws when anything
    /// differs, and the caller then rebuilds the index from the records.
    private static func restore(
        _ saved: SavedIndex.Contents, layout: StoreLayout, numbers: [Int], writable: Bool, committed: CommitCheckpoint?
    ) throws -> LogIndex {
        guard saved.segmentCount <= numbers.count, saved.sealedEnds.count == saved.segmentCount - 1 else { throw SavedIndex.Mismatch() }
        if let committed {
            guard saved.segmentCount <= committed.segment, saved.lastPosition <= committed.lastPosition else { throw SavedIndex.Mismatch() }
        }
        var index = LogIndex()
        for (position, number) in numbers.prefix(saved.segmentCount).enumerated() {
            let isLast = number == numbers.last
            let file = try LogFile.open(layout.segmentPath(number), writable: writable && isLast)
            let header = try file.read(count: Segment.headerLength, at: 0)
            guard header.count == Segment.headerLength, header.withUnsafeBytes({ Segment.headerProblem($0, number: number) }) == nil else {
                throw SavedIndex.Mismatch()
            }
            if position > 0 { index.endOffset = saved.sealedEnds[position - 1] }
            index.addSegment(Segment(number: number, file: file))
        }
        index.endOffset = saved.endOffset
        var expected: Int64 = 1
        var checked = 0
        try SavedIndex.forEachFrame(saved.records, segments: index.segments, layout: layout) { location, raw, offset in
            guard case .valid(let length) = LogRecord.checkFrame(in: raw, at: offset), length == Int(location.length),
                  UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)) == saved.checksums[checked],
                  Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 9, as: Int64.self)) == location.firstPosition,
                  location.firstPosition == expected else { throw SavedIndex.Mismatch() }
            expected = location.lastPosition + 1
            checked += 1
        }
        guard expected == saved.lastPosition + 1 else { throw SavedIndex.Mismatch() }
        index.records = saved.records
        index.streamPositions = saved.streamPositions
        index.keys = saved.keys
        for (stream, positions) in saved.streamPositions { index.versions.set(stream, to: Int64(positions.count)) }
        index.lastPosition = saved.lastPosition
        index.lastRecordedAt = saved.lastRecordedAt
        return index
    }

    /// Scans a segment's records from `start` to `size` in large chunks, adding them to `index`.
    ///
    /// The valid records end at the first bytes that are not one: if only zeros follow (the
    /// unused, preallocated part of a segment), the segment is clean. Otherwise, if a valid record
    /// follows the bad bytes, or the segment is not the last one, the log is damaged there and
    /// this throws ``EventStoreError/corrupted(file:offset:reason:)``; else the bad bytes are the
    /// unfinished end of the last write, returned as a torn tail.
    static func scanRecords(
        of file: LogFile, path: String, size: Int64, from start: Int64, isLastSegment: Bool, into index: inout LogIndex
    ) throws -> TornTail? {
        let chunk: Int64 = 4 << 20
        var offset = start
        var readToEnd = false
        var bytes: [UInt8] = []
        while offset < size {
            let count = readToEnd ? size - offset : min(chunk, size - offset)
            try file.read(into: &bytes, count: Int(count), at: offset)
            let atEnd = offset + Int64(bytes.count) >= size
            let problem: (offset: Int64, reason: String)
            switch try LogScanner.scan(bytes, base: offset, path: path, into: &index) {
            case .endOfBytes:
                offset += Int64(bytes.count)
                continue
            case .incomplete(let at) where !atEnd:
                // A record crosses the chunk's end: go on from it; if it is the chunk's first
                // record, it is larger than a chunk, so read everything up to the end.
                readToEnd = at == offset
                offset = at
                continue
            case .incomplete(let at):
                problem = (at, "record is cut short by the end of the file")
            case .zeros(let at):
                problem = (at, "unexpected bytes after the end of the data")
            case .invalid(let at, let reason):
                problem = (at, reason)
            }
            return try classify(file: file, path: path, size: size, at: problem.offset, reason: problem.reason, isLastSegment: isLastSegment)
        }
        return nil
    }

    /// Decides what the bytes from `offset` to the end of the file are: unused space, a torn
    /// tail, or damage.
    private static func classify(file: LogFile, path: String, size: Int64, at offset: Int64, reason: String, isLastSegment: Bool) throws -> TornTail? {
        guard let lastNonZero = try lastNonZeroByte(of: file, from: offset, to: size) else { return nil }
        let rest = try file.read(count: Int(lastNonZero + 1 - offset), at: offset)
        let followedByRecord = rest.withUnsafeBytes { LogScanner.containsValidFrame($0, after: 0) }
        guard isLastSegment, !followedByRecord else {
            throw EventStoreError.corrupted(file: path, offset: offset, reason: reason)
        }
        return TornTail(file: path, offset: offset, length: lastNonZero + 1 - offset)
    }

    /// The offset of the last byte in `start..<end` that is not zero, reading in chunks.
    private static func lastNonZeroByte(of file: LogFile, from start: Int64, to end: Int64) throws -> Int64? {
        let chunk = Int64(4 << 20)
        var chunkEnd = end
        while chunkEnd > start {
            let chunkStart = max(start, chunkEnd - chunk)
            let bytes = try file.read(count: Int(chunkEnd - chunkStart), at: chunkStart)
            if let last = bytes.lastIndex(where: { $0 != 0 }) { return chunkStart + Int64(last) }
            chunkEnd = chunkStart
        }
        return nil
    }
}

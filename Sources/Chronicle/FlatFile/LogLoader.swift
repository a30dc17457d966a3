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
    }

    /// Reads every segment. When `writable`, the segment files are opened for writing; a torn tail
    /// is only reported, never cut, here.
    static func load(_ layout: StoreLayout, writable: Bool) throws -> Loaded {
        var index = LogIndex()
        var tornTail: TornTail?
        let numbers = try layout.segmentNumbers()
        for number in numbers {
            let isLast = number == numbers.last
            let path = layout.segmentPath(number)
            let file = try LogFile.open(path, writable: writable && isLast)
            let size = try file.size()
            index.addSegment(Segment(number: number, file: file))
            if size < Int64(Segment.headerLength) {
                // A crash while the segment was being created: only possible for the last one.
                guard isLast else {
                    throw EventStoreError.corrupted(file: path, offset: 0, reason: "segment header is truncated")
                }
                tornTail = TornTail(file: path, offset: 0, length: size)
                break
            }
            let header = try file.read(count: Segment.headerLength, at: 0)
            if let problem = header.withUnsafeBytes({ Segment.headerProblem($0, number: number) }) {
                throw EventStoreError.corrupted(file: path, offset: 0, reason: problem)
            }
            tornTail = try scanRecords(of: file, path: path, size: size, from: Int64(Segment.headerLength), isLastSegment: isLast, into: &index)
            if tornTail != nil { break }
        }
        return Loaded(index: index, tornTail: tornTail)
    }

    /// Scans a segment's records from `offset` to `size` in large chunks, adding them to `index`;
    /// returns the torn tail it found, if any.
    static func scanRecords(of file: LogFile, path: String, size: Int64, from start: Int64, isLastSegment: Bool, into index: inout LogIndex) throws -> TornTail? {
        let chunk = Int64(16 << 20)
        var offset = start
        var readToEnd = false
        while offset < size {
            let count = readToEnd ? size - offset : min(chunk, size - offset)
            let bytes = try file.read(count: Int(count), at: offset)
            let atEnd = offset + Int64(bytes.count) >= size
            switch try LogScanner.scan(bytes, base: offset, path: path, atEndOfFile: atEnd, isLastSegment: isLastSegment, into: &index) {
            case .clean:
                offset += Int64(bytes.count)
            case .torn(let at, let length):
                return TornTail(file: path, offset: at, length: length)
            case .needsMore(let at):
                // A record crosses the chunk's end: go on from it; if it is the chunk's first record,
                // it is larger than a chunk (or wrong), so read everything up to the end.
                readToEnd = at == offset
                offset = at
            }
        }
        return nil
    }
}

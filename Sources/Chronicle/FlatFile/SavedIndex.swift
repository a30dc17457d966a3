import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The log's index as a writer left it, saved in `STORE/index` so that opening a long log need
/// not rebuild it from every record (see <doc:OnDiskFormat>).
///
/// It is a cache, never the truth: opening still reads every record it covers and checks each
/// one's checksum, and that each frame is where the saved index says, with the same length,
/// checksum and first position. Anything that does not match (a damaged, stale or foreign file,
/// a changed log) makes opening rebuild the index from the records, exactly as without it.
enum SavedIndex {
    static let magic: [UInt8] = Array("CHRNIDX\n".utf8)
    static let formatVersion: UInt32 = 1
    /// Saving costs a write of the whole index: worth it once this many records were added since.
    static let recordsWorthSaving = 4_096

    /// What a saved index holds.
    struct Contents {
        var segmentCount: Int
        var lastPosition: Int64
        var lastRecordedAt: Int64
        /// The end of the data in the last covered segment.
        var endOffset: Int64
        var sealedEnds: [Int64]
        var records: [RecordLocation]
        /// Each record's stored checksum, to tell the same log from another of the same shape.
        var checksums: [UInt32]
        var streamPositions: [StreamID: [Int64]]
        var keys: IdempotencyKeys
    }

    static func path(_ layout: StoreLayout) -> String { layout.root + "/index" }

    // MARK: Writing

    /// Saves `index`, whose records' checksums are read back from the log, under a temporary
    /// name renamed into place. Not flushed: a file torn by a crash fails its checksum and is
    /// ignored.
    static func save(_ index: LogIndex, layout: StoreLayout) throws {
        // Record numbers are saved in 32 bits; a log of more records keeps rebuilding its index.
        guard index.records.count < Int(Int32.max) else { return }
        let target = path(layout)
        let temporary = target + "." + String(getpid()) + ".tmp"
        do {
            let file = try LogFile.open(temporary, writable: true, create: true)
            try file.truncate(to: 0)
            var output = ChunkedOutput(file: file)
            var header = ByteWriter(reservingCapacity: 64)
            header.bytes.append(contentsOf: magic)
            header.write(formatVersion)
            header.write(UInt32(index.segments.count))
            header.write(index.lastPosition)
            header.write(index.lastRecordedAt)
            header.write(index.endOffset)
            header.write(UInt64(index.records.count))
            header.write(UInt64(index.streamPositions.count))
            header.write(UInt64(index.keys.count))
            try output.append(header.bytes)
            for end in index.sealedEnds { try output.append { $0.write(end) } }
            try forEachChecksum(of: index, layout: layout) { location, checksum in
                try output.append { writer in
                    writer.write(location.firstPosition)
                    writer.write(location.eventCount)
                    writer.write(location.segment)
                    writer.write(location.offset)
                    writer.write(location.length)
                    writer.write(location.recordedAtNanoseconds)
                    writer.write(checksum)
                }
            }
            for (stream, positions) in index.streamPositions {
                try output.append { writer in
                    writer.write(stream.name)
                    writer.write(UInt32(positions.count))
                    for position in positions { writer.write(position) }
                }
            }
            // In key order, so that opening keeps them as they are, without hashing.
            try index.keys.forEachInOrder { high, low, record in
                try output.append { writer in
                    writer.write(high)
                    writer.write(low)
                    writer.write(record)
                }
            }
            try output.finish()
            guard rename(temporary, target) == 0 else { throw LogFile.error("rename", target) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Calls `body` with each record and the checksum stored in its frame, reading the segments
    /// a few megabytes at a time.
    private static func forEachChecksum(of index: LogIndex, layout: StoreLayout, _ body: (RecordLocation, UInt32) throws -> Void) throws {
        try forEachFrame(index.records, segments: index.segments, layout: layout) { location, raw, offset in
            try body(location, UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)))
        }
    }

    /// Reads the frames at `records` in runs of up to 4 MiB, into one buffer, and calls `body`
    /// with each one's bytes; throws when a frame is not there whole.
    static func forEachFrame(
        _ records: [RecordLocation], segments: [Segment], layout: StoreLayout,
        _ body: (RecordLocation, UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        var start = 0
        var bytes: [UInt8] = []
        while start < records.count {
            var end = start + 1
            var runLength = Int64(records[start].length)
            while end < records.count, records[end].segment == records[start].segment,
                  records[end].offset == records[end - 1].offset + Int64(records[end - 1].length),
                  runLength + Int64(records[end].length) <= 4 << 20 {
                runLength += Int64(records[end].length)
                end += 1
            }
            let segmentIndex = Int(records[start].segment)
            guard segments.indices.contains(segmentIndex) else { throw Mismatch() }
            try segments[segmentIndex].file.read(into: &bytes, count: Int(runLength), at: records[start].offset)
            guard bytes.count == Int(runLength) else { throw Mismatch() }
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                for location in records[start..<end] {
                    try body(location, raw, offset)
                    offset += Int(location.length)
                }
            }
            start = end
        }
    }

    /// The saved index does not describe the log as it is.
    struct Mismatch: Error {}

    // MARK: Reading

    /// The saved index of the store, when there is one whose every byte checks; `nil` otherwise.
    static func read(_ layout: StoreLayout) -> Contents? {
        guard let file = try? LogFile.open(path(layout), writable: false), let size = try? file.size(), size >= 68 else { return nil }
        var input = ChunkedInput(file: file, length: size - 4)
        do {
            guard try input.bytes(8) == magic, try input.read(UInt32.self) == formatVersion else { return nil }
            let segmentCount = Int(try input.read(UInt32.self))
            let lastPosition = try input.read(Int64.self)
            let lastRecordedAt = try input.read(Int64.self)
            let endOffset = try input.read(Int64.self)
            let recordCount = try input.count(try input.read(UInt64.self), each: 40)
            let streamCount = try input.count(try input.read(UInt64.self), each: 8)
            let keyCount = try input.count(try input.read(UInt64.self), each: 20)
            guard segmentCount > 0 else { return nil }
            var sealedEnds: [Int64] = []
            sealedEnds.reserveCapacity(segmentCount - 1)
            for _ in 0..<(segmentCount - 1) { sealedEnds.append(try input.read(Int64.self)) }
            var records: [RecordLocation] = []
            var checksums: [UInt32] = []
            records.reserveCapacity(recordCount)
            checksums.reserveCapacity(recordCount)
            for _ in 0..<recordCount {
                let location = RecordLocation(
                    firstPosition: try input.read(Int64.self), eventCount: try input.read(Int32.self), segment: try input.read(Int32.self),
                    offset: try input.read(Int64.self), length: try input.read(Int32.self), recordedAtNanoseconds: try input.read(Int64.self))
                guard location.eventCount > 0, location.length > 0, location.segment >= 0, Int(location.segment) < segmentCount else { return nil }
                records.append(location)
                checksums.append(try input.read(UInt32.self))
            }
            var streamPositions: [StreamID: [Int64]] = [:]
            streamPositions.reserveCapacity(streamCount)
            for _ in 0..<streamCount {
                let name = try input.string()
                let count = try input.count(UInt64(try input.read(UInt32.self)), each: 8)
                var positions: [Int64] = []
                positions.reserveCapacity(count)
                for _ in 0..<count { positions.append(try input.read(Int64.self)) }
                streamPositions[StreamID(name)] = positions
            }
            var highs: [UInt64] = [], lows: [UInt64] = [], keyRecords: [Int32] = []
            highs.reserveCapacity(keyCount)
            lows.reserveCapacity(keyCount)
            keyRecords.reserveCapacity(keyCount)
            for _ in 0..<keyCount {
                highs.append(try input.read(UInt64.self))
                lows.append(try input.read(UInt64.self))
                let record = try input.read(Int32.self)
                guard record >= 0, Int(record) < recordCount else { return nil }
                keyRecords.append(record)
            }
            guard let keys = IdempotencyKeys(highs: highs, lows: lows, records: keyRecords) else { return nil }
            guard input.isAtEnd, try input.trailingChecksum() == input.checksum else { return nil }
            return Contents(
                segmentCount: segmentCount, lastPosition: lastPosition, lastRecordedAt: lastRecordedAt, endOffset: endOffset,
                sealedEnds: sealedEnds, records: records, checksums: checksums, streamPositions: streamPositions, keys: keys)
        } catch {
            return nil
        }
    }
}

/// Writes a file a few megabytes at a time, with a CRC-32C of everything as its last 4 bytes.
private struct ChunkedOutput {
    let file: LogFile
    var buffer = ByteWriter(reservingCapacity: 4 << 20)
    var offset: Int64 = 0
    var checksum: UInt32 = 0

    init(file: LogFile) { self.file = file }

    mutating func append(_ bytes: [UInt8]) throws {
        buffer.bytes.append(contentsOf: bytes)
        if buffer.bytes.count >= 4 << 20 { try flush() }
    }

    mutating func append(_ body: (inout ByteWriter) -> Void) throws {
        body(&buffer)
        if buffer.bytes.count >= 4 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.bytes.isEmpty else { return }
        checksum = CRC32C.checksum(buffer.bytes, continuing: checksum)
        try file.write(buffer.bytes, at: offset)
        offset += Int64(buffer.bytes.count)
        buffer.bytes.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        try flush()
        var trailer = ByteWriter(reservingCapacity: 4)
        trailer.write(checksum)
        try file.write(trailer.bytes, at: offset)
    }
}

/// Reads the first `length` bytes of a file a few megabytes at a time, checksumming them.
private struct ChunkedInput {
    struct Truncated: Error {}

    let file: LogFile
    let length: Int64
    private var buffer: [UInt8] = []
    private var scratch: [UInt8] = []
    private var index = 0
    private var fileOffset: Int64 = 0
    private(set) var checksum: UInt32 = 0

    init(file: LogFile, length: Int64) {
        self.file = file
        self.length = length
    }

    var isAtEnd: Bool { index == buffer.count && fileOffset == length }

    /// Makes `count` bytes available in the buffer.
    private mutating func ensure(_ count: Int) throws {
        guard buffer.count - index < count else { return }
        guard Int64(count - (buffer.count - index)) <= length - fileOffset else { throw Truncated() }
        let wanted = Int(min(length - fileOffset, Int64(max(4 << 20, count))))
        try file.read(into: &scratch, count: wanted, at: fileOffset)
        guard scratch.count == wanted else { throw Truncated() }
        checksum = CRC32C.checksum(scratch, continuing: checksum)
        fileOffset += Int64(wanted)
        // Both buffers keep their storage from one refill to the next.
        buffer.removeSubrange(0..<index)
        buffer.append(contentsOf: scratch)
        index = 0
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try ensure(size)
        defer { index += size }
        return buffer.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: index, as: T.self)) }
    }

    mutating func bytes(_ count: Int) throws -> [UInt8] {
        try ensure(count)
        defer { index += count }
        return Array(buffer[index..<index + count])
    }

    mutating func string() throws -> String {
        let count = try self.count(UInt64(try read(UInt32.self)), each: 1)
        try ensure(count)
        defer { index += count }
        return String(decoding: buffer[index..<index + count], as: UTF8.self)
    }

    /// A count read from the file, refused when that many items of `each` bytes cannot fit in
    /// what is left of it (so that a damaged count never allocates).
    func count(_ value: UInt64, each: Int) throws -> Int {
        let left = UInt64(max(0, length - fileOffset)) + UInt64(buffer.count - index)
        guard value <= left / UInt64(each) else { throw Truncated() }
        return Int(value)
    }

    /// The CRC-32C stored after the checksummed bytes.
    func trailingChecksum() throws -> UInt32 {
        let bytes = try file.read(count: 4, at: length)
        guard bytes.count == 4 else { throw Truncated() }
        return bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }
}

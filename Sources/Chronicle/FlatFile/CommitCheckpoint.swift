#if canImport(Glibc)
import Glibc
#endif

/// Where the committed log ends: the small `committed` file that the writer rewrites after each
/// group commit's `fdatasync`, and that readers in other processes trust.
///
/// A reader beside a live writer never guesses: everything up to the checkpoint was durable
/// before the checkpoint was written, so damage there is real damage; bytes beyond it belong to
/// a write in progress and are not read yet. After a crash the checkpoint may lag behind the log
/// (it is written after the data, and not flushed on every commit), never run ahead of it; so a
/// log that ends before its checkpoint has lost committed data (a deleted or cut segment).
///
/// Layout (32 bytes, little-endian): `"CHKP"`, segment number (UInt32), end offset in that
/// segment (Int64), last position (Int64), CRC-32C of the 24 bytes before it (UInt32), 4 zero bytes.
struct CommitCheckpoint: Hashable, Sendable {
    static let length = 32
    static let magic: [UInt8] = Array("CHKP".utf8)

    /// The segment the committed log ends in.
    var segment: Int
    /// The offset where that segment's committed records end.
    var endOffset: Int64
    /// The last committed position.
    var lastPosition: Int64

    var bytes: [UInt8] {
        var writer = ByteWriter(reservingCapacity: Self.length)
        writer.bytes.append(contentsOf: Self.magic)
        writer.write(UInt32(truncatingIfNeeded: segment))
        writer.write(UInt64(bitPattern: endOffset))
        writer.write(UInt64(bitPattern: lastPosition))
        let checksum = writer.bytes.withUnsafeBytes { CRC32C.checksum($0) }
        writer.write(checksum)
        writer.write(UInt32(0))
        return writer.bytes
    }

    /// Decodes a checkpoint; `nil` when the bytes are not a whole, intact one.
    init?(bytes: [UInt8]) {
        guard bytes.count >= Self.length, Array(bytes[0..<4]) == Self.magic else { return nil }
        func integer(_ at: Int, _ count: Int) -> UInt64 {
            var value: UInt64 = 0
            for index in (0..<count).reversed() { value = value << 8 | UInt64(bytes[at + index]) }
            return value
        }
        let checksum = Array(bytes[0..<24]).withUnsafeBytes { CRC32C.checksum($0) }
        guard UInt32(integer(24, 4)) == checksum else { return nil }
        segment = Int(integer(4, 4))
        endOffset = Int64(bitPattern: integer(8, 8))
        lastPosition = Int64(bitPattern: integer(16, 8))
        guard segment >= 1, endOffset >= Int64(Segment.headerLength), lastPosition >= 0 else { return nil }
    }

    init(segment: Int, endOffset: Int64, lastPosition: Int64) {
        self.segment = segment
        self.endOffset = endOffset
        self.lastPosition = lastPosition
    }

    /// Reads the store's checkpoint. A checkpoint being rewritten can read torn: then read again.
    static func read(_ layout: StoreLayout) -> CommitCheckpoint? {
        guard let file = try? LogFile.open(layout.checkpointFile, writable: false) else { return nil }
        for _ in 0..<100 {
            guard let bytes = try? file.read(count: length, at: 0) else { return nil }
            if bytes.isEmpty { return nil }
            if let checkpoint = CommitCheckpoint(bytes: bytes) { return checkpoint }
            sched_yield()
        }
        return nil
    }
}

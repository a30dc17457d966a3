import Foundation

/// Appends little-endian fields to a byte buffer; the encoder of log records.
struct ByteWriter {
    var bytes: [UInt8]

    init(reservingCapacity capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ value: UInt8) { bytes.append(value) }

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { bytes.append(contentsOf: $0) }
    }

    /// A string as a 32-bit byte count and its UTF-8 bytes.
    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Bytes as a 32-bit count and the bytes.
    mutating func writeBlob(_ blob: [UInt8]) {
        write(UInt32(blob.count))
        bytes.append(contentsOf: blob)
    }

    /// Overwrites a 32-bit field written earlier at `offset`.
    mutating func patch(_ value: UInt32, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for i in 0..<4 { bytes[offset + i] = raw[i] }
        }
    }
}

/// Reads little-endian fields from a byte buffer, failing on any read past its end.
struct ByteReader {
    struct Truncated: Error {}

    let buffer: UnsafeRawBufferPointer
    var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var remaining: Int { buffer.count - offset }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw Truncated() }
        defer { offset += size }
        return T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func readUUID() throws -> UUID {
        guard remaining >= 16 else { throw Truncated() }
        defer { offset += 16 }
        return UUID(uuid: buffer.loadUnaligned(fromByteOffset: offset, as: uuid_t.self))
    }

    mutating func readString() throws -> String {
        let count = Int(try read(UInt32.self))
        guard remaining >= count else { throw Truncated() }
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count]), as: UTF8.self)
    }

    /// Skips a string or blob (a 4-byte count and that many bytes) without copying it.
    mutating func skipCounted() throws {
        let count = Int(try read(UInt32.self))
        guard remaining >= count else { throw Truncated() }
        offset += count
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int) throws {
        guard remaining >= count else { throw Truncated() }
        offset += count
    }

    mutating func readBlob() throws -> [UInt8] {
        let count = Int(try read(UInt32.self))
        guard remaining >= count else { throw Truncated() }
        defer { offset += count }
        return Array(buffer[offset..<offset + count])
    }
}

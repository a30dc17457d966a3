import Foundation

/// The framing and encoding of log records, as documented in the runtime's DocC catalog
/// (`Chronicle.docc/OnDiskFormat.md`).
///
/// A frame is `length (u32) | crc32c (u32) | body (length bytes) | length (u32)`, little-endian.
/// The checksum covers the leading length and the body. The trailing length lets a reader walk
/// the log backwards. One frame holds one atomic batch.
enum LogRecord {
    /// Bytes a frame adds around its body.
    static let frameOverhead = 12
    /// The body's first byte: the kind of record. A keyed batch carries an idempotency key.
    static let batchKind: UInt8 = 1
    static let keyedBatchKind: UInt8 = 2
    /// The largest body a frame may hold (1 GiB), so that a damaged length is caught early.
    static let maximumBodyLength = 1 << 30

    private static let hasCorrelation: UInt8 = 1
    private static let hasCausation: UInt8 = 2
    private static let hasActor: UInt8 = 4

    /// Encodes a batch as a complete frame, appended to `output`; returns the frame's length.
    @discardableResult
    static func appendFrame(of batch: RecordedBatch, to output: inout [UInt8]) throws -> Int {
        var writer = ByteWriter(reservingCapacity: 64 + batch.events.count * 160)
        writer.write(UInt32(0))  // length, patched below
        writer.write(UInt32(0))  // checksum, patched below
        writer.write(batch.idempotencyKey == nil ? batchKind : keyedBatchKind)
        writer.write(batch.firstPosition)
        writer.write(batch.recordedAtNanoseconds)
        writer.write(UInt32(batch.events.count))
        if let key = batch.idempotencyKey { writer.write(key) }
        for event in batch.events {
            writer.write(event.id)
            writer.write(event.type)
            writer.write(event.schemaVersion)
            writer.write(event.stream.name)
            writer.write(event.streamVersion)
            var flags: UInt8 = 0
            if event.correlationID != nil { flags |= hasCorrelation }
            if event.causationID != nil { flags |= hasCausation }
            if event.actor != nil { flags |= hasActor }
            writer.write(flags)
            if let id = event.correlationID { writer.write(id) }
            if let id = event.causationID { writer.write(id) }
            if let actor = event.actor { writer.write(actor) }
            writer.write(UInt32(event.metadata.count))
            // Sorted keys: the same metadata always encodes to the same bytes.
            for (key, value) in event.metadata.sorted(by: { $0.key < $1.key }) {
                writer.write(key)
                writer.write(value)
            }
            writer.writeBlob(event.payload)
        }
        let bodyLength = writer.bytes.count - 8
        guard bodyLength <= maximumBodyLength else {
            throw EventStoreError.invalidBatch("the batch encodes to \(bodyLength) bytes; the limit is \(maximumBodyLength)")
        }
        writer.patch(UInt32(bodyLength), at: 0)
        let crc = writer.bytes.withUnsafeBytes { raw in
            let length = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<4]))
            return CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[8...]), continuing: length)
        }
        writer.patch(crc, at: 4)
        writer.write(UInt32(bodyLength))
        output.append(contentsOf: writer.bytes)
        return writer.bytes.count
    }

    /// The outcome of checking the frame that starts at an offset.
    enum FrameCheck {
        /// A complete frame whose checksum matches; `length` is the whole frame's length.
        case valid(length: Int)
        /// The length field is zero: no record starts here (preallocated space is zero-filled).
        case zeroLength
        /// Not enough bytes for the frame its length field announces.
        case incomplete
        /// The frame is complete but wrong; `reason` says how.
        case invalid(reason: String)
    }

    /// Checks the frame starting at `offset` of `bytes`.
    static func checkFrame(in bytes: UnsafeRawBufferPointer, at offset: Int) -> FrameCheck {
        let available = bytes.count - offset
        if available >= 4, bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) == 0 { return .zeroLength }
        guard available >= frameOverhead else { return .incomplete }
        let bodyLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        guard bodyLength <= maximumBodyLength else { return .invalid(reason: "impossible record length \(bodyLength)") }
        guard available >= bodyLength + frameOverhead else { return .incomplete }
        let trailer = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8 + bodyLength, as: UInt32.self)))
        guard trailer == bodyLength else { return .invalid(reason: "record length \(bodyLength) does not match its trailer \(trailer)") }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
        let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + 4]))
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset + 8..<offset + 8 + bodyLength]), continuing: lengthCRC)
        guard crc == stored else { return .invalid(reason: "checksum mismatch (stored \(hex(stored)), computed \(hex(crc)))") }
        return .valid(length: bodyLength + frameOverhead)
    }

    /// The fixed start of a record's body.
    private struct BatchHead {
        var firstPosition: Int64
        var recordedAt: Int64
        var count: Int
        var key: UUID?
    }

    /// Reads the start of the body of a frame already checked with ``checkFrame(in:at:)``;
    /// returns it with a reader at the first event.
    private static func readHead(frame bytes: UnsafeRawBufferPointer, at offset: Int) throws -> (BatchHead, ByteReader) {
        let bodyLength = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        var reader = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[offset + 8..<offset + 8 + bodyLength]))
        let kind = try reader.read(UInt8.self)
        guard kind == batchKind || kind == keyedBatchKind else { throw ByteReader.Truncated() }
        let firstPosition = try reader.read(Int64.self)
        let recordedAt = try reader.read(Int64.self)
        let count = Int(try reader.read(UInt32.self))
        let key = kind == keyedBatchKind ? try reader.readUUID() : nil
        // Each event takes at least 50 bytes: do not trust a damaged count with a huge allocation.
        guard count > 0, count <= reader.remaining / 50 + 1 else { throw ByteReader.Truncated() }
        return (BatchHead(firstPosition: firstPosition, recordedAt: recordedAt, count: count, key: key), reader)
    }

    /// What the log's index needs of a record, read from a frame already checked with
    /// ``checkFrame(in:at:)`` without copying payloads, types, actors or metadata: opening a
    /// store walks every record this way. The whole body is still walked, so a body that does
    /// not decode fails here as it would in ``decodeBatch(frame:at:)``.
    static func decodeIndexEntry(frame bytes: UnsafeRawBufferPointer, at offset: Int) throws -> IndexedBatch {
        var (head, reader) = try readHead(frame: bytes, at: offset)
        let (firstPosition, recordedAt, count, key) = (head.firstPosition, head.recordedAt, head.count, head.key)
        var events: [IndexedBatch.Event] = []
        events.reserveCapacity(count)
        for _ in 0..<count {
            try reader.skip(16)  // id
            try reader.skipCounted()  // type
            try reader.skip(4)  // schema version
            let stream = StreamID(try reader.readString())
            let streamVersion = try reader.read(Int64.self)
            let flags = try reader.read(UInt8.self)
            if flags & hasCorrelation != 0 { try reader.skip(16) }
            if flags & hasCausation != 0 { try reader.skip(16) }
            if flags & hasActor != 0 { try reader.skipCounted() }
            let metadataCount = Int(try reader.read(UInt32.self))
            guard metadataCount <= reader.remaining / 8 else { throw ByteReader.Truncated() }
            for _ in 0..<metadataCount {
                try reader.skipCounted()
                try reader.skipCounted()
            }
            try reader.skipCounted()  // payload
            events.append(IndexedBatch.Event(stream: stream, streamVersion: streamVersion))
        }
        guard reader.remaining == 0 else { throw ByteReader.Truncated() }
        return IndexedBatch(firstPosition: firstPosition, recordedAtNanoseconds: recordedAt, idempotencyKey: key, events: events)
    }

    /// Decodes the body of a frame already checked with ``checkFrame(in:at:)``.
    static func decodeBatch(frame bytes: UnsafeRawBufferPointer, at offset: Int) throws -> RecordedBatch {
        var (head, reader) = try readHead(frame: bytes, at: offset)
        let (firstPosition, recordedAt, count, key) = (head.firstPosition, head.recordedAt, head.count, head.key)
        var events: [RecordedEvent] = []
        events.reserveCapacity(count)
        for index in 0..<count {
            let id = try reader.readUUID()
            let type = try reader.readString()
            let schemaVersion = try reader.read(Int32.self)
            let stream = StreamID(try reader.readString())
            let streamVersion = try reader.read(Int64.self)
            let flags = try reader.read(UInt8.self)
            let correlation = flags & hasCorrelation != 0 ? try reader.readUUID() : nil
            let causation = flags & hasCausation != 0 ? try reader.readUUID() : nil
            let actor = flags & hasActor != 0 ? try reader.readString() : nil
            let metadataCount = Int(try reader.read(UInt32.self))
            guard metadataCount <= reader.remaining / 8 else { throw ByteReader.Truncated() }
            var metadata: [String: String] = [:]
            for _ in 0..<metadataCount {
                let key = try reader.readString()
                metadata[key] = try reader.readString()
            }
            let payload = try reader.readBlob()
            events.append(RecordedEvent(
                id: id, type: type, schemaVersion: schemaVersion, stream: stream, streamVersion: streamVersion,
                position: firstPosition + Int64(index), recordedAtNanoseconds: recordedAt,
                correlationID: correlation, causationID: causation, actor: actor, metadata: metadata, payload: payload))
        }
        guard reader.remaining == 0 else { throw ByteReader.Truncated() }
        return RecordedBatch(firstPosition: firstPosition, recordedAtNanoseconds: recordedAt, events: events, idempotencyKey: key)
    }

    private static func hex(_ value: UInt32) -> String {
        "0x" + String(value, radix: 16).leftPadded(to: 8)
    }
}

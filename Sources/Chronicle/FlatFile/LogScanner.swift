/// Reads segment bytes frame by frame into a ``LogIndex``, telling a torn tail (the unfinished
/// end of the last write, which may be cut) from damage (which must never be skipped).
enum LogScanner {
    /// How a scan of some bytes ended.
    enum Tail: Equatable {
        /// Every byte belongs to a valid record.
        case clean
        /// From `offset` on, the bytes hold no complete valid record: an unfinished write.
        case torn(offset: Int64, length: Int64)
        /// The bytes end before a decision can be made at `offset`: scan again from there with
        /// more bytes (up to the end of the file).
        case needsMore(offset: Int64)
    }

    /// Scans `bytes`, which start at file offset `base` of segment `path`, adding each record to
    /// `index`. In the last segment, bad bytes after which no valid frame follows are a torn tail;
    /// anything else wrong throws ``EventStoreError/corrupted(file:offset:reason:)``. When the
    /// bytes do not reach the end of the file, a record they cut short or that looks wrong is
    /// left for a scan with more bytes (`needsMore`).
    static func scan(_ bytes: [UInt8], base: Int64, path: String, atEndOfFile: Bool, isLastSegment: Bool, into index: inout LogIndex) throws -> Tail {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                switch LogRecord.checkFrame(in: raw, at: offset) {
                case .valid(let length):
                    let batch: RecordedBatch
                    do {
                        batch = try LogRecord.decodeBatch(frame: raw, at: offset)
                    } catch {
                        throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: "record has a valid checksum but cannot be decoded")
                    }
                    do {
                        try index.add(batch, offset: base + Int64(offset), length: length)
                    } catch let error as IndexError {
                        throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: error.reason)
                    }
                    offset += length
                case .incomplete:
                    guard atEndOfFile else { return .needsMore(offset: base + Int64(offset)) }
                    guard isLastSegment else {
                        throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: "record is cut short inside a sealed segment")
                    }
                    return .torn(offset: base + Int64(offset), length: Int64(raw.count - offset))
                case .invalid(let reason):
                    guard atEndOfFile else { return .needsMore(offset: base + Int64(offset)) }
                    if isLastSegment, !containsValidFrame(raw, after: offset) {
                        return .torn(offset: base + Int64(offset), length: Int64(raw.count - offset))
                    }
                    throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: reason)
                }
            }
            return .clean
        }
    }

    /// Whether any valid frame starts after `offset`: if one does, the bad bytes at `offset` are
    /// damage in the middle of the log, not the unfinished end of the last write.
    static func containsValidFrame(_ raw: UnsafeRawBufferPointer, after offset: Int) -> Bool {
        var candidate = offset + 1
        while candidate + LogRecord.frameOverhead <= raw.count {
            if case .valid = LogRecord.checkFrame(in: raw, at: candidate) { return true }
            candidate += 1
        }
        return false
    }
}

/// Reads segment bytes frame by frame into a ``LogIndex``, stopping where the valid records end.
enum LogScanner {
    /// Where and why a scan stopped.
    enum Stop: Equatable {
        /// At the end of the bytes given: every byte belonged to a valid record.
        case endOfBytes
        /// At a zero length field: where a preallocated segment's data ends, if only zeros follow.
        case zeros(offset: Int64)
        /// At a record that runs past the end of the bytes given.
        case incomplete(offset: Int64)
        /// At a complete but wrong record.
        case invalid(offset: Int64, reason: String)
    }

    /// Scans `bytes`, which start at file offset `base` of segment `path`, adding each valid
    /// record to `index` until something stops it.
    /// - Throws: ``EventStoreError/corrupted(file:offset:reason:)`` for a record whose checksum
    ///   holds but whose contents do not decode or do not continue the log.
    static func scan(_ bytes: [UInt8], base: Int64, path: String, into index: inout LogIndex) throws -> Stop {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                switch LogRecord.checkFrame(in: raw, at: offset) {
                case .valid(let length):
                    let batch: IndexedBatch
                    do {
                        batch = try LogRecord.decodeIndexEntry(frame: raw, at: offset)
                    } catch {
                        throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: "record has a valid checksum but cannot be decoded")
                    }
                    do {
                        try index.add(batch, offset: base + Int64(offset), length: length)
                    } catch let error as IndexError {
                        throw EventStoreError.corrupted(file: path, offset: base + Int64(offset), reason: error.reason)
                    }
                    offset += length
                case .zeroLength:
                    return .zeros(offset: base + Int64(offset))
                case .incomplete:
                    return .incomplete(offset: base + Int64(offset))
                case .invalid(let reason):
                    return .invalid(offset: base + Int64(offset), reason: reason)
                }
            }
            return .endOfBytes
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

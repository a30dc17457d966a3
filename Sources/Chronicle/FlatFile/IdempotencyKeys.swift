import Foundation

/// The idempotency keys of a log, each with the index of the record that holds its batch.
///
/// Keys that came from a saved index stay in one array ordered by key, searched by bisection:
/// loading them costs no hashing and half the memory of a dictionary. Keys added since are in a
/// dictionary. Saving merges the two in order.
struct IdempotencyKeys: Sendable {
    /// A key and its record, ordered by the key's bytes.
    struct Entry: Sendable {
        var high: UInt64
        var low: UInt64
        var record: Int32

        init(_ key: UUID, record: Int) {
            (high, low) = Entry.halves(key)
            self.record = Int32(truncatingIfNeeded: record)
        }

        init(high: UInt64, low: UInt64, record: Int32) {
            self.high = high
            self.low = low
            self.record = record
        }

        /// The key's bytes as two big-endian numbers: their order is the bytes' order.
        static func halves(_ key: UUID) -> (UInt64, UInt64) {
            withUnsafeBytes(of: key.uuid) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
        }

        var key: UUID {
            var bytes = uuid_t(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &bytes) { raw in
                raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
                raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            }
            return UUID(uuid: bytes)
        }

        func precedes(_ high: UInt64, _ low: UInt64) -> Bool { self.high < high || (self.high == high && self.low < low) }
    }

    /// Keys from the saved index, strictly increasing.
    private var ordered: [Entry] = []
    /// Keys added since.
    private var recent: [UUID: Int] = [:]

    init() {}

    /// Keys from a saved index; `nil` unless they are strictly increasing.
    init?(ordered entries: [Entry]) {
        for index in entries.indices.dropFirst() where !entries[index - 1].precedes(entries[index].high, entries[index].low) { return nil }
        ordered = entries
    }

    var count: Int { ordered.count + recent.count }

    /// The record holding the batch of `key`, if the log has it.
    subscript(key: UUID) -> Int? {
        if let record = recent[key] { return record }
        let (high, low) = Entry.halves(key)
        var lower = 0, upper = ordered.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if ordered[middle].precedes(high, low) { lower = middle + 1 } else { upper = middle }
        }
        guard lower < ordered.count, ordered[lower].high == high, ordered[lower].low == low else { return nil }
        return Int(ordered[lower].record)
    }

    /// Notes that `record` holds the batch of `key`, unless an earlier record does.
    mutating func insertIfAbsent(_ key: UUID, record: Int) {
        if self[key] == nil { recent[key] = record }
    }

    /// Every key, in order.
    func inOrder() -> [Entry] {
        let added = recent.map { Entry($0.key, record: $0.value) }.sorted { $0.precedes($1.high, $1.low) }
        var merged: [Entry] = []
        merged.reserveCapacity(count)
        var left = 0, right = 0
        while left < ordered.count || right < added.count {
            if right == added.count || (left < ordered.count && ordered[left].precedes(added[right].high, added[right].low)) {
                merged.append(ordered[left])
                left += 1
            } else {
                merged.append(added[right])
                right += 1
            }
        }
        return merged
    }
}

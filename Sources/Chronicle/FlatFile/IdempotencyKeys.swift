import Foundation

/// The idempotency keys of a log, each with the index of the record that holds its batch.
///
/// Keys that came from a saved index stay in arrays ordered by key, searched by bisection:
/// loading them costs no hashing and less than half the memory of a dictionary. Keys added since
/// are in a dictionary. Saving merges the two in order.
struct IdempotencyKeys: Sendable {
    /// Keys from the saved index, strictly increasing: each key's bytes as two big-endian
    /// numbers (`highs[i]`, `lows[i]`), whose order is the bytes' order, and its record.
    private var highs: [UInt64] = []
    private var lows: [UInt64] = []
    private var records: [Int32] = []
    /// Keys added since.
    private var recent: [UUID: Int] = [:]

    init() {}

    /// Keys from a saved index; `nil` unless they are strictly increasing.
    init?(highs: [UInt64], lows: [UInt64], records: [Int32]) {
        guard highs.count == lows.count, lows.count == records.count else { return nil }
        for index in highs.indices.dropFirst() where !IdempotencyKeys.precedes(highs[index - 1], lows[index - 1], highs[index], lows[index]) {
            return nil
        }
        self.highs = highs
        self.lows = lows
        self.records = records
    }

    var count: Int { highs.count + recent.count }

    /// The record holding the batch of `key`, if the log has it.
    subscript(key: UUID) -> Int? {
        if let record = recent[key] { return record }
        let (high, low) = IdempotencyKeys.halves(key)
        var lower = 0, upper = highs.count
        while lower < upper {
            let middle = (lower + upper) / 2
            if IdempotencyKeys.precedes(highs[middle], lows[middle], high, low) { lower = middle + 1 } else { upper = middle }
        }
        guard lower < highs.count, highs[lower] == high, lows[lower] == low else { return nil }
        return Int(records[lower])
    }

    /// Notes that `record` holds the batch of `key`, unless an earlier record does.
    mutating func insertIfAbsent(_ key: UUID, record: Int) {
        if self[key] == nil { recent[key] = record }
    }

    /// Calls `body` with every key (as its two halves) and its record, in key order.
    func forEachInOrder(_ body: (UInt64, UInt64, Int32) throws -> Void) rethrows {
        let added = recent.map { (IdempotencyKeys.halves($0.key), Int32(truncatingIfNeeded: $0.value)) }
            .sorted { IdempotencyKeys.precedes($0.0.0, $0.0.1, $1.0.0, $1.0.1) }
        var left = 0, right = 0
        while left < highs.count || right < added.count {
            if right == added.count || (left < highs.count && IdempotencyKeys.precedes(highs[left], lows[left], added[right].0.0, added[right].0.1)) {
                try body(highs[left], lows[left], records[left])
                left += 1
            } else {
                try body(added[right].0.0, added[right].0.1, added[right].1)
                right += 1
            }
        }
    }

    /// The key's bytes as two big-endian numbers: their order is the bytes' order.
    static func halves(_ key: UUID) -> (UInt64, UInt64) {
        withUnsafeBytes(of: key.uuid) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    private static func precedes(_ high: UInt64, _ low: UInt64, _ otherHigh: UInt64, _ otherLow: UInt64) -> Bool {
        high < otherHigh || (high == otherHigh && low < otherLow)
    }
}

/// Index arithmetic shared by the stores' reads, so that every store pages the same way.
enum LogSlice {
    /// The zero-based indices a read of `limit` items starting at the one-based `start` returns, in
    /// read order, from a sequence of `count` items.
    static func indices(count: Int, from start: Int64, direction: ReadDirection, limit: Int) -> [Int] {
        guard count > 0, limit > 0 else { return [] }
        switch direction {
        case .forward:
            let first = Int(max(start, 1)) - 1
            guard first < count else { return [] }
            return Array(first..<first + min(count - first, limit))
        case .backward:
            guard start >= 1 else { return [] }
            let last = Int(min(start, Int64(count))) - 1
            return Array(stride(from: last, through: max(0, last - limit + 1), by: -1))
        }
    }

    /// How many leading items have a key not after `limit`, given keys that never decrease: a binary search.
    static func countNotAfter(_ limit: Int64, count: Int, key: (Int) -> Int64) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if key(middle) <= limit { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

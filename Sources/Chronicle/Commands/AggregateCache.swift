/// Loaded aggregates kept between commands, least recently used first out.
struct AggregateCache: Sendable {
    struct Entry: Sendable {
        var state: any Sendable
        var version: Int64
        var lastUse: UInt64
    }

    private var entries: [StreamID: Entry] = [:]
    private var clock: UInt64 = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    mutating func get<State: AggregateState>(_ stream: StreamID, as _: State.Type) -> (State, Int64)? {
        guard var entry = entries[stream], let state = entry.state as? State else { return nil }
        clock += 1
        entry.lastUse = clock
        entries[stream] = entry
        return (state, entry.version)
    }

    mutating func put(_ stream: StreamID, state: any Sendable, version: Int64) {
        guard capacity > 0 else { return }
        clock += 1
        entries[stream] = Entry(state: state, version: version, lastUse: clock)
        if entries.count > capacity {
            // Evict the least recently used tenth in one pass.
            let victims = entries.sorted { $0.value.lastUse < $1.value.lastUse }.prefix(max(1, capacity / 10))
            for (stream, _) in victims { entries[stream] = nil }
        }
    }

    mutating func remove(_ stream: StreamID) { entries[stream] = nil }
}

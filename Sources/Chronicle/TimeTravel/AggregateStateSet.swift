/// The states of the aggregates a revert touches, loaded on first use and advanced as events
/// are recorded on them; what captures each inverse on the state it applies to. An actor: its
/// tables change as events are recorded, and only it touches them.
@_spi(Generated) public actor AggregateStateSet {
    private let processor: CommandProcessor
    /// One table per aggregate type, so that finding a state takes no dynamic cast of the state.
    private var tables: [ObjectIdentifier: AnyObject] = [:]
    private var order: [(StreamID, any StateTable)] = []

    init(processor: CommandProcessor) { self.processor = processor }

    /// Records `event` on the aggregate's state as it stands in the set: captures what it
    /// overwrites, applies it, and returns it as captured.
    public func record<State: AggregateState>(_ event: State.Event, id: State.ID, as type: State.Type) async throws -> State.Event {
        let table: Table<State>
        if let known = tables[ObjectIdentifier(State.self)] as? Table<State> {
            table = known
        } else {
            table = Table<State>()
            tables[ObjectIdentifier(State.self)] = table
        }
        var state: State
        if let known = table.states[id] {
            state = known
        } else {
            state = try await processor.load(State.self, id: id).state
            table.before[id] = state
            order.append((State.stream(for: id), table))
        }
        let captured = state.capturing(event)
        try state.apply(captured)
        table.states[id] = state
        return captured
    }

    /// Each touched aggregate's state before and after, as JSON.
    func differences() throws -> [AggregateDifference] {
        try order.compactMap { stream, table in try table.difference(for: stream) }
    }
}

private protocol StateTable: AnyObject {
    func difference(for stream: StreamID) throws -> AggregateDifference?
}

private final class Table<State: AggregateState>: StateTable {
    var states: [State.ID: State] = [:]
    var before: [State.ID: State] = [:]

    func difference(for stream: StreamID) throws -> AggregateDifference? {
        let prefix = State.aggregateName + "-"
        guard stream.name.hasPrefix(prefix), let id = State.ID.parsing(String(stream.name.dropFirst(prefix.count))),
              let before = before[id], let after = states[id] else { return nil }
        return AggregateDifference(stream: stream, before: String(decoding: try ChronicleJSON.encode(before), as: UTF8.self),
                                   after: String(decoding: try ChronicleJSON.encode(after), as: UTF8.self))
    }
}

/// How a revert would change one aggregate: its state before and after, as JSON.
public struct AggregateDifference: Hashable, Sendable, Codable {
    /// The aggregate's stream.
    public var stream: StreamID
    /// Its state now.
    public var before: String
    /// Its state after the revert.
    public var after: String
}

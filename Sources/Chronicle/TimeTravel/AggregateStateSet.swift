/// The states of the aggregates a revert touches, loaded on first use and advanced as events
/// are recorded on them; what captures each inverse on the state it applies to.
public final class AggregateStateSet: @unchecked Sendable {
    // Used by one task at a time (a revert plans in sequence); not shared.
    private let processor: CommandProcessor
    private var states: [StreamID: any AggregateState] = [:]
    private(set) var before: [StreamID: any AggregateState] = [:]
    private(set) var order: [StreamID] = []

    init(processor: CommandProcessor) { self.processor = processor }

    /// Records `event` on the aggregate's state as it stands in the set: captures what it
    /// overwrites, applies it, and returns it as captured.
    public func record<State: AggregateState>(_ event: State.Event, id: State.ID, as type: State.Type) async throws -> State.Event {
        let stream = State.stream(for: id)
        var state: State
        if let known = states[stream] as? State {
            state = known
        } else {
            state = try await processor.load(State.self, id: id).state
            before[stream] = state
            order.append(stream)
        }
        let captured = state.capturing(event)
        state.apply(captured)
        states[stream] = state
        return captured
    }

    /// Each touched aggregate's state before and after, as JSON.
    func differences() throws -> [AggregateDifference] {
        try order.compactMap { stream in
            guard let before = before[stream], let after = states[stream] else { return nil }
            return AggregateDifference(stream: stream, before: try json(before), after: try json(after))
        }
    }

    private func json(_ state: any AggregateState) throws -> String {
        String(decoding: try ChronicleJSON.encode(state), as: UTF8.self)
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

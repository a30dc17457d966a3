/// An aggregate's state with the version of its stream it reflects: what
/// ``CommandProcessor/load(_:id:)`` returns. Version 0 means the aggregate has no events.
public struct LoadedState<State: AggregateState>: Sendable {
    /// The state.
    public var state: State
    /// The stream's version the state reflects (its number of events).
    public var version: Int64

    /// Creates a loaded state.
    public init(state: State, version: Int64) {
        self.state = state
        self.version = version
    }
}

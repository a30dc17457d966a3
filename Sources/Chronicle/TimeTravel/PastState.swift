/// An aggregate's state when the log ended at a position: what
/// ``CommandProcessor/state(_:id:asOf:path:)`` returns.
public struct PastState<State: AggregateState>: Sendable {
    /// The state then.
    public var state: State
    /// The stream's version then; 0 when the aggregate did not exist yet.
    public var version: Int64
    /// How it was computed: walked back from now, or replayed.
    public var path: AsOfPath

    /// Creates a past state.
    public init(state: State, version: Int64, path: AsOfPath) {
        self.state = state
        self.version = version
        self.path = path
    }
}

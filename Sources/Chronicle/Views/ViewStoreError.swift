/// Errors of the read side.
public enum ViewStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The views did not reach a position in time.
    case timeout(waitingFor: Int64, reached: Int64)
    /// The background projector stopped on an error; its description.
    case projectorFailed(String)

    public var description: String {
        switch self {
        case let .timeout(position, reached): return "views did not reach position \(position) in time (they are at \(reached))"
        case let .projectorFailed(reason): return "the projector stopped: \(reason)"
        }
    }
}

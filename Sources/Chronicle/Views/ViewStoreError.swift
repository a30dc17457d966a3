/// Errors of the read side.
public enum ViewStoreError: Error, Sendable, CustomStringConvertible {
    /// The views did not reach a position in time.
    case timeout(waitingFor: Int64, reached: Int64)
    /// The background projector stopped on an error (a storage failure, an event that does
    /// not decode…): that error, as it was thrown.
    case projectorFailed(any Error)

    public var description: String {
        switch self {
        case let .timeout(position, reached): return "views did not reach position \(position) in time (they are at \(reached))"
        case let .projectorFailed(error): return "the projector stopped: \(error)"
        }
    }
}

/// What a writer believes about a stream's version when it appends: the basis of optimistic
/// concurrency.
///
/// Stream versions count the events of one stream, starting at 1; an empty stream has version 0.
/// When the belief is wrong the append records nothing and fails with
/// ``EventStoreError/wrongExpectedVersion(stream:expected:actual:)``.
public enum ExpectedVersion: Hashable, Sendable, CustomStringConvertible {
    /// Append whatever the stream's version is.
    case any
    /// The stream must not exist yet (it has no events).
    case noStream
    /// The stream's last event must have exactly this version (`0` means the same as ``noStream``).
    case exactly(Int64)

    /// Whether a stream whose current version is `actual` satisfies this expectation.
    public func accepts(actual: Int64) -> Bool {
        switch self {
        case .any: return true
        case .noStream: return actual == 0
        case .exactly(let version): return actual == version
        }
    }

    public var description: String {
        switch self {
        case .any: return "any version"
        case .noStream: return "no stream"
        case .exactly(let version): return "version \(version)"
        }
    }
}

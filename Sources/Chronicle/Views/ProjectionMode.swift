/// When an application's views follow the log.
public enum ProjectionMode: Sendable, Hashable {
    /// Before each command returns: its caller reads its own writes at once.
    case inline
    /// In a background task that follows the log; `wait(for:)` gives read-your-writes.
    case background
    /// Not at all: a process that only writes.
    case none
}

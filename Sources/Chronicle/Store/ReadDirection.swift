/// The order in which a read returns events.
public enum ReadDirection: Hashable, Sendable {
    /// Oldest first, starting at the given position or version and going up.
    case forward
    /// Newest first, starting at the given position or version and going down.
    case backward
}

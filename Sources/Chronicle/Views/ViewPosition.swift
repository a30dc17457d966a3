/// How far one view has followed the log.
public struct ViewPosition: Hashable, Sendable {
    /// The view's name (its type's name).
    public var name: String
    /// The last log position the view reflects.
    public var position: Int64

    /// Creates a view position.
    public init(name: String, position: Int64) {
        self.name = name
        self.position = position
    }
}

/// A view as it was at an earlier log position, and how it was computed.
public struct PastView<View: Projection>: Sendable {
    /// The view then.
    public var view: View
    /// The log position it reflects: the one asked for, or the views' own position when they
    /// had not reached it.
    public var position: Int64
    /// How it was computed: walked back from now, or replayed.
    public var path: AsOfPath

    /// Creates a past view.
    public init(view: View, position: Int64, path: AsOfPath) {
        self.view = view
        self.position = position
        self.path = path
    }
}

/// What an event changes, field by field, for deciding whether undoing it alone is exact.
///
/// Two changes of one field commute when both add or subtract: undoing an earlier deposit after
/// a later one gives what the history without the earlier deposit gives. Any other pair does not
/// (a `set`, a list `append` or `remove`, an event applied in Swift): undoing the earlier one
/// would give a state that no history produces, so a selective revert reports a conflict.
public struct FieldChanges: Hashable, Sendable {
    /// Fields changed by `add` or `subtract` only.
    public var additive: Set<String>
    /// Fields changed in a way whose order matters: `set`, `append`, `remove`, or Swift code
    /// (which may touch every field of its aggregate's state).
    public var ordered: Set<String>

    /// Creates the changes of an event.
    public init(additive: Set<String> = [], ordered: Set<String> = []) {
        self.additive = additive.subtracting(ordered)
        self.ordered = ordered
    }

    /// No change.
    public static let none = FieldChanges()

    /// Every field changed.
    public var all: Set<String> { additive.union(ordered) }

    /// The fields on which this event's change and a later event's change do not commute.
    public func conflicts(with later: FieldChanges) -> Set<String> {
        all.intersection(later.all).filter { ordered.contains($0) || later.ordered.contains($0) }
    }

    /// Both events' changes.
    public func merging(_ other: FieldChanges) -> FieldChanges {
        FieldChanges(additive: additive.union(other.additive), ordered: ordered.union(other.ordered))
    }
}

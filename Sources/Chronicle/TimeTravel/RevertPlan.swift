import Foundation

/// What a revert appends, or would append in a dry run.
public struct RevertPlan: Sendable {
    /// One event to undo, with the inverse that undoes it.
    public struct Step: Sendable {
        /// The event undone.
        public var original: RecordedEvent
        /// The inverse's type.
        public var inverseType: String
        /// The inverse as it is appended.
        public var inverse: ProposedEvent
        /// Its stream.
        public var stream: StreamID
    }

    /// The revert batch's id (also its idempotency key and the inverses' correlation id).
    public var batchID: UUID
    /// Why the events are reverted.
    public var reason: String
    /// The inverses, in the order they are appended: the log's reverse order.
    public var steps: [Step]
    /// Events left alone because their own revert is in the range too: the pair cancels out.
    public var cancelled: [UUID]
    /// How each touched aggregate changes.
    public var aggregates: [AggregateDifference]
    /// How each view changes.
    public var views: [ViewDifference]
}

/// What a revert did.
public struct RevertOutcome: Sendable {
    /// The plan, with the differences it made.
    public var plan: RevertPlan
    /// Where the inverses landed; `nil` for a dry run or a revert with nothing to undo.
    public var positions: ClosedRange<Int64>?
    /// Whether nothing was appended because this was a dry run.
    public var dryRun: Bool
}

import Chronicle

/// Checks any user can run on their own schema: an event followed by its inverse changes
/// nothing, on the aggregate's state and on every view.
///
/// ```swift
/// try InverseLaw.checkState(state, .deposited(Account.Deposited(amount: 5)))
/// try InverseLaw.checkView(summary, .account(id, .deposited(Account.Deposited(amount: 5))), context: context)
/// // An event whose inverse restores a value it overwrote (a `set`, a `remove`), given to a
/// // view as the log holds it: captured on the aggregate's state.
/// try InverseLaw.checkView(summary, .account(id, state.capturing(.renamed(Account.Renamed(owner: "Grace")))), context: context)
/// ```
///
/// ``checkState(_:_:)`` captures the event on the state itself. ``checkView(_:_:context:)`` has no
/// aggregate state to capture on: give it events as the runtime records them, captured with
/// ``AggregateState/capturing(_:)`` when they `set` or `remove` (the view's undo restores the
/// captured previous value; an event that was not captured has none).
public enum InverseLaw {
    /// A violation of the law, with what differed.
    public struct Violation: Error, CustomStringConvertible, Sendable {
        /// What happened.
        public let description: String
    }

    /// Applies `event` to `state` as the runtime records it (capturing what it overwrites), then
    /// its inverse, and fails unless the state is back where it started.
    /// - Returns: the state after `event` alone, to build histories with.
    @discardableResult
    public static func checkState<State: AggregateState>(_ state: State, _ event: State.Event) throws -> State {
        let recorded = state.capturing(event)
        var after = state
        try after.apply(recorded)
        guard let inverse = recorded.inverse else {
            throw Violation(description: "\(recorded.typeName) has no inverse (\(recorded.irreversibleReason ?? "no reason given"))")
        }
        var back = after
        try back.apply(state.capturingInverse(inverse, after: after))
        guard back == state else {
            throw Violation(description: "\(recorded.typeName) then \(inverse.typeName) changed the state:\n  before: \(state)\n  after:  \(back)")
        }
        return after
    }

    /// Projects `event` on `view`, then the event that reverts it (its inverse, with the
    /// reversed ``ViewEffect``), and fails unless the view is back where it started.
    /// - Returns: the view after `event` alone.
    @discardableResult
    public static func checkView<View: Projection>(_ view: View, _ event: View.Event, context: EventContext) throws -> View where View.Event: ModuleEvent {
        guard let inverse = event.inverse else {
            throw Violation(description: "\(event.typeName) has no inverse")
        }
        var after = view
        try after.project(event, effect: ViewEffect(.apply, event.typeName), context: context)
        var back = after
        try back.project(inverse, effect: ViewEffect(.undo, event.typeName), context: context)
        guard back == view else {
            throw Violation(description: "\(event.typeName) then its revert changed view \(View.self) (an event that sets or removes must be given as recorded: state.capturing(event)):\n  before: \(view)\n  after:  \(back)")
        }
        return after
    }
}

extension AggregateState {
    /// The inverse as the runtime records it: captured on the state it is applied to.
    fileprivate func capturingInverse(_ inverse: Event, after: Self) -> Event { after.capturing(inverse) }
}

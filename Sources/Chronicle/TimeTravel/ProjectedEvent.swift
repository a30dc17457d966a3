/// An event as a view would project it: with its effect (apply, or undo for a revert) and the
/// context its handlers see. What a dry-run revert previews.
public struct ProjectedEvent<Event: ModuleEvent>: Sendable {
    /// The event.
    public var event: Event
    /// Whether it applies or undoes, and which event's operations.
    public var effect: ViewEffect
    /// What the view's handlers see of the recorded event.
    public var context: EventContext

    /// Creates a projected event.
    public init(event: Event, effect: ViewEffect, context: EventContext) {
        self.event = event
        self.effect = effect
        self.context = context
    }
}

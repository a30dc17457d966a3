/// The generated enum of every event of a schema module, with the id of the aggregate it
/// belongs to; what views project.
public protocol ModuleEvent: Sendable, Equatable {
    /// The stored type name.
    var typeName: String { get }
    /// The event that undoes this one, `nil` when it is irreversible.
    var inverse: Self? { get }
    /// Why the event cannot be undone, for an irreversible event.
    var irreversibleReason: String? { get }
    /// The stream the event belongs to.
    var stream: StreamID { get }
    /// The schema version of the event's payload.
    var schemaVersion: Int32 { get }
    /// What the event changes in its own stream: its aggregate's state (see
    /// ``AggregateEvent/fieldChanges``) and its rows of keyed views, as `View.field`.
    var fieldChanges: FieldChanges { get }
    /// What the event changes in views with a single row, which all streams share, as `View.field`.
    var sharedFieldChanges: FieldChanges { get }
    /// The event's payload as stored.
    func encodedPayload() throws -> [UInt8]
    /// The event as it is recorded on top of its aggregate's state in `states` (capturing what
    /// it overwrites), advancing that state.
    @_spi(Generated) func recording(in states: AggregateStateSet) async throws -> Self
    /// Decodes a recorded event; `nil` when its type belongs to no aggregate of the module.
    /// - Throws: ``SchemaDecodingError`` when the type is known but the payload does not decode,
    ///   or the stream name does not hold a valid id.
    static func decode(_ recorded: RecordedEvent) throws -> Self?

    /// The name an event type is known by now, given a name it may have been stored under
    /// before it was renamed (`formerly` in its schema); other names are returned unchanged.
    static func currentTypeName(_ storedName: String) -> String
}

extension ModuleEvent {
    public static func currentTypeName(_ storedName: String) -> String { storedName }
}

extension Projection where Event: ModuleEvent {
    /// Projects a recorded event with its ``ViewEffect``: applies its own operations, or, for a
    /// revert, undoes (or re-applies) the operations of the event it reverts.
    /// - Throws: ``SchemaDecodingError`` when the event cannot be decoded.
    public mutating func project(_ recorded: RecordedEvent) throws {
        guard let event = try Event.decode(recorded) else { return }
        try project(event, effect: ViewEffect(of: recorded), context: EventContext(forViewsOf: recorded))
    }

    /// Projects a decoded event with an effect.
    public mutating func project(_ event: Event, effect: ViewEffect, context: EventContext) throws {
        let subject: Event
        // An effect written before its event type was renamed names it by its former name.
        let named = Event.currentTypeName(effect.typeName)
        if event.typeName == named {
            subject = event
        } else if let inverse = event.inverse, inverse.typeName == named {
            subject = inverse
        } else {
            throw SchemaDecodingError(typeName: event.typeName, schemaVersion: 0, reason: "its view effect names \(effect.typeName), which is neither the event nor its inverse")
        }
        switch effect.mode {
        case .apply: try apply(subject, context: context)
        case .undo: try undo(subject, context: context)
        }
    }
}

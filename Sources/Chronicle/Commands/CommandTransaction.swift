import Foundation

/// The aggregates one command loads and the events it records on them, appended together as
/// one atomic batch with the versions they were loaded at.
@_spi(Generated) public struct CommandTransaction: Sendable {
    struct Loaded: Sendable {
        var state: any Sendable
        var loadedVersion: Int64
        var events: [ProposedEvent] = []
        var creating = false
    }

    let processor: CommandProcessor
    let context: CommandContext
    /// The command's id: the batch's idempotency key and the events' causation id.
    let commandID: UUID
    var loaded: [StreamID: Loaded] = [:]
    var order: [StreamID] = []

    init(processor: CommandProcessor, context: CommandContext, commandID: UUID) {
        self.processor = processor
        self.context = context
        self.commandID = commandID
    }

    /// Loads an aggregate's current state (once per transaction).
    /// - Parameters:
    ///   - requireExisting: fail with ``CommandError/aggregateNotFound(_:)`` when it has no events.
    ///   - creating: the command creates it; fail with ``CommandError/aggregateAlreadyExists(_:)``
    ///     when it has events.
    public mutating func load<State: AggregateState>(_ type: State.Type, id: State.ID, requireExisting: Bool = false, creating: Bool = false) async throws -> State {
        let stream = State.stream(for: id)
        if let entry = loaded[stream], let state = entry.state as? State { return state }
        let current = try await processor.options.observability.span("load", attributes: ["chronicle.stream": stream.name]) {
            try await processor.load(type, id: id)
        }
        let (state, version) = (current.state, current.version)
        if requireExisting, version == 0 { throw CommandError.aggregateNotFound(stream) }
        if creating, version > 0 { throw CommandError.aggregateAlreadyExists(stream) }
        loaded[stream] = Loaded(state: state, loadedVersion: version, creating: creating)
        order.append(stream)
        return state
    }

    /// Records events on a loaded aggregate: each is captured on the state it applies to (so
    /// that its inverse can restore what it overwrites) and applied.
    public mutating func record<State: AggregateState>(_ events: [State.Event], on id: State.ID, as type: State.Type) throws {
        let stream = State.stream(for: id)
        guard var entry = loaded[stream], var state = entry.state as? State else { throw CommandError.aggregateNotLoaded(stream) }
        for event in events {
            let captured = state.capturing(event)
            try state.apply(captured)
            entry.events.append(ProposedEvent(
                id: .timeOrdered(), type: captured.typeName, schemaVersion: captured.schemaVersion, payload: try captured.encodedPayload(),
                correlationID: context.correlationID ?? commandID, causationID: commandID, actor: context.actor,
                metadata: context.metadata))
        }
        entry.state = state
        loaded[stream] = entry
    }

    /// The batch to append: each touched stream with the version it was loaded at.
    var batch: AppendBatch {
        AppendBatch(order.compactMap { stream in
            guard let entry = loaded[stream], !entry.events.isEmpty else { return nil }
            let expected: ExpectedVersion = entry.creating || entry.loadedVersion == 0 ? .noStream : .exactly(entry.loadedVersion)
            return StreamAppend(stream: stream, expectedVersion: expected, events: entry.events)
        }, idempotencyKey: commandID)
    }
}

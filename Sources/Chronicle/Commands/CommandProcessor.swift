import Foundation
import Logging

/// Runs commands on the write side: loads aggregates (latest snapshot plus later events, or
/// from memory when warm), asks the command's decision, and appends the events with the versions
/// it loaded, as one atomic batch keyed by the command's id.
///
/// - A version conflict (another command changed an aggregate meanwhile) reloads and decides
///   again, up to ``CommandProcessorOptions/maximumRetries`` times, then throws
///   ``EventStoreError/wrongExpectedVersion(stream:expected:actual:)``.
/// - A command whose id is already in the log returns the original ``CommandOutcome`` with
///   ``CommandOutcome/isDuplicate`` set, and records nothing.
/// - A broken business rule throws the command's typed error; nothing is recorded.
/// - Every command, accepted or not, goes to the audit log when there is one.
public final class CommandProcessor: Sendable {
    /// The event store commands append to.
    public let store: any EventStore
    let snapshots: (any SnapshotStore)?
    let audit: (any AuditRecorder)?
    let options: CommandProcessorOptions
    private let cache: Locked<AggregateCache>
    private let onRecorded: (@Sendable (CommandOutcome) async throws -> Void)?

    /// Creates a processor.
    /// - Parameter onRecorded: runs after a command's events are durable and before the command
    ///   returns, e.g. to bring views up to date (inline projection). When it throws, the
    ///   command still succeeds, since its events are recorded: the error goes to
    ///   ``CommandOutcome/warnings`` and to ``CommandProcessorOptions/onWarning``. A caller told
    ///   "failed" would retry, and record twice.
    public init(store: any EventStore, snapshots: (any SnapshotStore)? = nil, audit: (any AuditRecorder)? = nil, options: CommandProcessorOptions = CommandProcessorOptions(),
                onRecorded: (@Sendable (CommandOutcome) async throws -> Void)? = nil) {
        self.store = store
        self.snapshots = snapshots
        self.audit = audit
        self.options = options
        self.cache = Locked(AggregateCache(capacity: options.cacheCapacity))
        self.onRecorded = onRecorded
    }

    /// Handles a command on one aggregate.
    /// - Throws: the command's typed error when a rule is broken; ``CommandError`` when the
    ///   aggregate is missing (or exists, for a creating command); ``EventStoreError`` otherwise.
    @discardableResult
    public func handle<Command: AggregateCommand>(_ command: Command, rules: Command.Rules, context: CommandContext = CommandContext()) async throws -> CommandOutcome {
        try await execute(commandName: Command.commandName, payload: command, context: context) { transaction in
            let state = try await transaction.load(
                Command.State.self, id: command.id,
                requireExisting: Command.State.requiresCreation && !Command.createsAggregate, creating: Command.createsAggregate)
            let events = try await options.observability.span("decide") { try command.decide(state, rules: rules) }
            try transaction.record(events, on: command.id, as: Command.State.self)
        }
    }

    /// Runs a command that loads and records on any aggregates: `body` loads what it needs and
    /// records events through the transaction; the events are appended atomically. `body` runs
    /// again after a version conflict, so it must only decide, not act on the world.
    @discardableResult
    @_spi(Generated) public func execute<Payload: Encodable & Sendable>(
        commandName: String, payload: Payload, context given: CommandContext,
        _ body: @Sendable (inout CommandTransaction) async throws -> Void
    ) async throws -> CommandOutcome {
        var context = given
        let commandID = given.commandID ?? .timeOrdered()
        context.commandID = commandID
        let started = ContinuousClock.now
        let startedAt = options.clock.now()
        func audited(_ outcome: CommandOutcome?, _ failure: (any Error)?) -> AuditEntry {
            AuditEntry(
                commandID: commandID, command: commandName, payload: (try? ChronicleJSON.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "null",
                actor: context.actor, correlationID: context.correlationID, at: startedAt, outcome: AuditEntry.Outcome(outcome: outcome, error: failure),
                reason: failure.map { "\($0)" }, positions: outcome?.positions, durationMicroseconds: started.duration(to: .now).microseconds)
        }
        let observability = options.observability
        // Built only for a tracer or a logger that takes them.
        var attributes: [String: String] = [:]
        if observability.tracesOn || observability.logs(.info) {
            attributes = ["chronicle.command": commandName, "chronicle.command_id": commandID.uuidString]
            if let correlation = context.correlationID { attributes["chronicle.correlation_id"] = correlation.uuidString }
            if let actor = context.actor { attributes["chronicle.actor"] = actor }
        }
        return try await observability.span("command \(commandName)", attributes: attributes) {
            let outcome: CommandOutcome
            do {
                if let reserved = context.metadata.keys.sorted().first(where: { $0.hasPrefix(CommandContext.reservedMetadataPrefix) }) {
                    throw CommandError.reservedMetadataKey(reserved)
                }
                outcome = try await run(commandID: commandID, context: context, body)
            } catch {
                report(commandName, AuditEntry.Outcome(outcome: nil, error: error), since: started, error: error, attributes: attributes)
                await audit?.write(audited(nil, error))
                throw error
            }
            report(commandName, AuditEntry.Outcome(outcome: outcome, error: nil), since: started, error: nil, attributes: attributes)
            await audit?.write(audited(outcome, nil))
            return outcome
        }
    }

    /// Counts a command by outcome, times it, and logs it (debug; a refusal or failure at info).
    private func report(_ command: String, _ outcome: AuditEntry.Outcome, since started: ContinuousClock.Instant, error: (any Error)?, attributes: [String: String]) {
        let observability = options.observability
        if observability.metricsOn {
            let elapsed = started.duration(to: .now)
            observability.counter(Observability.MetricLabel.commands, [("command", command), ("outcome", outcome.rawValue)])?.increment()
            observability.timer(Observability.MetricLabel.commandDuration, [("command", command)])?.recordNanoseconds(
                elapsed.components.seconds &* 1_000_000_000 &+ elapsed.components.attoseconds / 1_000_000_000)
        }
        guard observability.logs(error == nil ? .debug : .info) else { return }
        var metadata: Logger.Metadata = attributes.mapValues { .string($0) }
        metadata["chronicle.outcome"] = .string(outcome.rawValue)
        if let error {
            metadata["chronicle.reason"] = .string("\(error)")
            observability.logger.info("command \(outcome.rawValue)", metadata: metadata)
        } else {
            observability.logger.debug("command \(outcome.rawValue)", metadata: metadata)
        }
    }

    private func run(commandID: UUID, context: CommandContext, _ body: @Sendable (inout CommandTransaction) async throws -> Void) async throws -> CommandOutcome {
        if let original = try await store.result(forIdempotencyKey: commandID) {
            return CommandOutcome(commandID: commandID, result: original, events: try await recordedEvents(of: original))
        }
        var attempt = 0
        while true {
            var transaction = CommandTransaction(processor: self, context: context, commandID: commandID)
            try await body(&transaction)
            let batch = transaction.batch
            guard !batch.appends.isEmpty else {
                return CommandOutcome(commandID: commandID, positions: nil, streamVersions: [:], recordedAt: nil, isDuplicate: false)
            }
            let result: AppendResult
            do {
                result = try await options.observability.span("append", attributes: ["chronicle.events": "\(batch.appends.reduce(0) { $0 + $1.events.count })"]) {
                    try await store.append(batch)
                }
            } catch let error as EventStoreError {
                guard case .wrongExpectedVersion(let stream, _, let actual) = error, attempt < options.maximumRetries else { throw error }
                for stream in transaction.order { cache.withLock { $0.remove(stream) } }
                attempt += 1
                try await waitUntilVisible(stream, version: actual)
                continue
            }
            if !result.isDuplicate { await remember(transaction, result: result) }
            // A batch's events take consecutive positions in the order of its appends; a
            // duplicate's are the original's, read back.
            let events: [RecordedEventReference]
            if result.isDuplicate {
                events = try await recordedEvents(of: result)
            } else {
                events = batch.appends.flatMap { append in append.events.map { (append.stream, $0) } }.enumerated().map { offset, event in
                    RecordedEventReference(id: event.1.id, stream: event.0, position: result.firstPosition + Int64(offset), type: event.1.type)
                }
            }
            var recorded = CommandOutcome(commandID: commandID, result: result, events: events)
            do {
                if let onRecorded {
                    let reported = recorded
                    try await options.observability.span("project") { try await onRecorded(reported) }
                }
            } catch {
                let warning = "the command was recorded, but what follows it failed: \(error)"
                recorded.warnings.append(warning)
                options.onWarning?(warning)
            }
            return recorded
        }
    }

    /// The events an earlier append recorded, read back from the log.
    private func recordedEvents(of result: AppendResult) async throws -> [RecordedEventReference] {
        let count = result.lastPosition - result.firstPosition + 1
        guard count > 0 else { return [] }
        let events = try await store.readAll(from: result.firstPosition, direction: .forward, limit: Int(clamping: count))
        return events.filter { $0.position <= result.lastPosition }.map {
            RecordedEventReference(id: $0.id, stream: $0.stream, position: $0.position, type: $0.type)
        }
    }

    /// A conflict may name a version whose batch is still being flushed: deciding again before it
    /// is readable would only conflict again. Wait (briefly, at most 20 ms) until it is.
    private func waitUntilVisible(_ stream: StreamID, version: Int64) async throws {
        for _ in 0..<100 {
            if try await store.streamVersion(stream) >= version { return }
            try await Task.sleep(for: .microseconds(200))
        }
    }

    /// The current state and version of an aggregate: from memory when warm (caught up with any
    /// events another writer added since), else from its latest snapshot (when its fingerprint
    /// matches) plus the events after it.
    public func load<State: AggregateState>(_ type: State.Type, id: State.ID) async throws -> LoadedState<State> {
        let stream = State.stream(for: id)
        if let (warm, version) = cache.withLock({ $0.get(stream, as: State.self) }) {
            // Decisions must not be taken on a stale state: catch up when the stream moved on.
            if try await store.streamVersion(stream) == version { return LoadedState(state: warm, version: version) }
            let current = try await replay(stream, onto: warm, from: version)
            cache.withLock { $0.put(stream, state: current.0, version: current.1) }
            return LoadedState(state: current.0, version: current.1)
        }
        var state = State()
        var version: Int64 = 0
        let lookup = try await loadSnapshot(State.self, stream: stream)
        if case .usable(let decoded, let snapshotVersion) = lookup {
            state = decoded
            version = snapshotVersion
        }
        (state, version) = try await replay(stream, onto: state, from: version)
        cache.withLock { $0.put(stream, state: state, version: version) }
        if case .rejected = lookup, version > 0 {
            // Replaced at once, so that the warning is not given again at every load.
            let eventID = try await store.readStream(stream, from: version, direction: .forward, limit: 1).first?.id
            await saveSnapshot(of: state, version: version, eventID: eventID, stream: stream)
        }
        return LoadedState(state: state, version: version)
    }

    /// What a stream's snapshot file offered.
    enum SnapshotLookup<State> {
        /// No snapshot.
        case none
        /// One that can be trusted: the state at a version.
        case usable(State, Int64)
        /// One that cannot (damaged, of another definition or of another log), to be replaced.
        case rejected
    }

    /// The stream's snapshot when there is one that can be trusted: of the current fingerprint,
    /// decodable, and of this log (the log holds the snapshot's event at its version). Anything
    /// else is rejected with a warning, and costs only a longer load.
    func loadSnapshot<State: AggregateState>(_ type: State.Type, stream: StreamID) async throws -> SnapshotLookup<State> {
        guard let snapshots else { return .none }
        let snapshot: Snapshot
        do {
            guard let found = try await snapshots.load(stream: stream) else { return .none }
            snapshot = found
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            options.onWarning?("\(error)")
            return .rejected
        }
        guard snapshot.fingerprint == State.fingerprint, snapshot.version > 0 else { return .rejected }
        guard let decoded = try? ChronicleJSON.decode(State.self, from: snapshot.state) else {
            options.onWarning?("snapshot of '\(stream)' at version \(snapshot.version) ignored: its state does not decode")
            return .rejected
        }
        let there = try await store.readStream(stream, from: snapshot.version, direction: .forward, limit: 1).first
        guard let there, there.streamVersion == snapshot.version, snapshot.eventID.map({ $0 == there.id }) ?? true else {
            options.onWarning?("snapshot of '\(stream)' at version \(snapshot.version) ignored: the log does not hold its event there (a restored or replaced log)")
            return .rejected
        }
        return .usable(decoded, snapshot.version)
    }

    /// Saves a snapshot. A snapshot only saves time: a failed one is not the command's failure.
    private func saveSnapshot(of state: any AggregateState, version: Int64, eventID: UUID?, stream: StreamID) async {
        guard let snapshots, let snapshot = try? Snapshot(state: state, version: version, eventID: eventID) else { return }
        try? await snapshots.save(snapshot, stream: stream)
    }

    /// Applies a stream's events after `version` to `state`.
    func replay<State: AggregateState>(_ stream: StreamID, onto state: State, from version: Int64) async throws -> (State, Int64) {
        var state = state
        var version = version
        while true {
            let page = try await store.readStream(stream, from: version + 1, direction: .forward, limit: 1024)
            for recorded in page {
                guard let event = try State.Event.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload) else {
                    throw CommandError.foreignEvent(stream: stream, type: recorded.type)
                }
                try state.apply(event)
                version = recorded.streamVersion
            }
            if page.count < 1024 { return (state, version) }
        }
    }

    /// Keeps the transaction's new states warm and snapshots those that crossed an interval.
    private func remember(_ transaction: CommandTransaction, result: AppendResult) async {
        for stream in transaction.order {
            guard let entry = transaction.loaded[stream], let version = result.streamVersions[stream] else { continue }
            cache.withLock { $0.put(stream, state: entry.state, version: version) }
            let interval = Int64(options.snapshotInterval)
            if interval > 0, version / interval > entry.loadedVersion / interval, let state = entry.state as? any AggregateState {
                await saveSnapshot(of: state, version: version, eventID: entry.events.last?.id, stream: stream)
            }
        }
    }
}

extension Duration {
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}

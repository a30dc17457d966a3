import Foundation
import Logging

/// Going back in time: the state as of a past position, and reverts that append the inverses of
/// past events — the way a bank reverses postings instead of erasing them.
///
/// `revert(since:)` appends, as one atomic batch, the inverse of every event after a date, newest
/// first. Afterwards every aggregate and every view equals its state as of that date, while the
/// log keeps both the events and their reversal. Each inverse carries, in its metadata, the id of
/// the event it undoes (`chronicle.reverts`), the revert batch (`chronicle.revert-batch`), the
/// reason (`chronicle.revert-reason`) and its effect on views (``ViewEffect``).
public struct TimeMachine<Event: ModuleEvent>: Sendable {
    /// The log.
    public let store: any EventStore
    /// Loads aggregates (for capturing what inverses overwrite, and for as-of states).
    public let processor: CommandProcessor
    /// The views a dry run reports differences for.
    public let views: [any ViewPreviewing<Event>]

    /// Creates a time machine over a store, its command processor and its views.
    public init(store: any EventStore, processor: CommandProcessor, views: [any ViewPreviewing<Event>]) {
        self.store = store
        self.processor = processor
        self.views = views
    }

    /// The position of the last event recorded at or before `date`.
    public func position(at date: Date) async throws -> Int64 { try await store.lastPosition(atOrBefore: date) }

    /// Reverts every event after `position`: their inverses, newest first, as one atomic batch.
    /// - Throws: ``RevertError/irreversible(_:)`` when an event in the range cannot be undone
    ///   (nothing is appended).
    public func revert(since position: Int64, reason: String, actor: String? = nil, dryRun: Bool = false) async throws -> RevertOutcome {
        try await logged(["chronicle.since_position": "\(position)"], reason: reason, actor: actor, dryRun: dryRun) {
            try await revertAll(since: position, reason: reason, actor: actor, dryRun: dryRun)
        }
    }

    private func revertAll(since position: Int64, reason: String, actor: String?, dryRun: Bool) async throws -> RevertOutcome {
        var later: [RecordedEvent] = []
        var next = Int64.max
        while true {
            let page = try await store.readAll(from: next, direction: .backward, limit: 4_096)
            let after = page.prefix { $0.position > position }
            later += after
            if after.count < page.count || page.count < 4_096 { break }
            next = (page.last?.position ?? 1) - 1
        }
        // An event and its revert both in the range cancel out.
        let ids = Set(later.map(\.id))
        var cancelled = Set<UUID>()
        for event in later {
            if let reverted = event.metadata[TimeMachine.revertsKey].flatMap(UUID.init(uuidString:)), ids.contains(reverted), !cancelled.contains(event.id) {
                cancelled.insert(event.id)
                cancelled.insert(reverted)
            }
        }
        return try await revert(later.filter { !cancelled.contains($0.id) }, cancelled: Array(cancelled), reason: reason, actor: actor, dryRun: dryRun)
    }

    /// Reverts chosen events (newest first).
    ///
    /// Undoing a chosen event alone is exact only when no later event, not chosen, changed the
    /// same value in a way that does not commute with it (see ``FieldChanges``): a later `set`
    /// of a field it added to, a later change to the same list, an event applied in Swift on the
    /// same aggregate, and the same for the rows of views (single-row views are shared by every
    /// aggregate). Such conflicts are reported, and nothing is appended, unless `force` is set.
    ///
    /// A chosen event stands for the change it made: after it was reverted and redone, the redo
    /// carries that change and is what gets reverted.
    /// - Throws: ``RevertError/unknownEvent(_:)``, ``RevertError/alreadyReverted(eventID:by:)``
    ///   for an event whose change is undone now (revert that revert to bring it back),
    ///   ``RevertError/sameChangeTwice(_:_:)`` for two chosen events that carry one change,
    ///   ``RevertError/conflicts(_:)``, ``RevertError/irreversible(_:)``.
    public func revert(events ids: [UUID], reason: String, actor: String? = nil, force: Bool = false, dryRun: Bool = false) async throws -> RevertOutcome {
        try await logged(["chronicle.chosen_events": "\(ids.count)", "chronicle.force": "\(force)"], reason: reason, actor: actor, dryRun: dryRun) {
            try await revertChosen(ids, reason: reason, actor: actor, force: force, dryRun: dryRun)
        }
    }

    /// Logs a revert: recorded (notice), previewed (debug) or refused (info), with its reason
    /// and actor.
    private func logged(_ extra: Logger.Metadata, reason: String, actor: String?, dryRun: Bool, _ body: () async throws -> RevertOutcome) async throws -> RevertOutcome {
        let logger = processor.options.observability.logger
        var metadata = extra
        metadata["chronicle.reason"] = .string(reason)
        metadata["chronicle.actor"] = .string(actor ?? "-")
        do {
            let outcome = try await body()
            metadata["chronicle.batch_id"] = .string(outcome.plan.batchID.uuidString)
            metadata["chronicle.inverses"] = .string("\(outcome.plan.steps.count)")
            if let positions = outcome.positions { metadata["chronicle.positions"] = .string("\(positions.lowerBound)-\(positions.upperBound)") }
            if dryRun {
                logger.debug("revert previewed", metadata: metadata)
            } else {
                logger.notice("revert recorded", metadata: metadata)
            }
            return outcome
        } catch let error as RevertError {
            metadata["chronicle.refusal"] = .string("\(error)")
            logger.info("revert refused", metadata: metadata)
            throw error
        }
    }

    private func revertChosen(_ ids: [UUID], reason: String, actor: String?, force: Bool, dryRun: Bool) async throws -> RevertOutcome {
        let wanted = Set(ids)
        var seen: [RecordedEvent] = []
        var firstWanted: Int?
        // Revert chains: an event, its revert, the revert of that revert (a redo), and so on.
        // Reverts are only ever taken of the change in effect, so each chain is a line whose
        // last member carries its change now; members alternate between undo and redo.
        var chains: [UUID: [UUID]] = [:]
        var rootOf: [UUID: UUID] = [:]
        var next: Int64 = 1
        // One pass over the log: the chosen events, and every event after the first of them.
        while true {
            let page = try await store.readAll(from: next, direction: .forward, limit: 4_096)
            guard let last = page.last else { break }
            for event in page {
                if let reverted = event.metadata[TimeMachine.revertsKey].flatMap(UUID.init(uuidString:)) {
                    let root = rootOf[reverted] ?? reverted
                    rootOf[event.id] = root
                    chains[root, default: [root]].append(event.id)
                }
                if firstWanted == nil, wanted.contains(event.id) { firstWanted = seen.count }
                if firstWanted != nil { seen.append(event) }
            }
            next = last.position + 1
        }
        let byID = Dictionary(seen.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        if let missing = ids.first(where: { byID[$0] == nil }) { throw RevertError.unknownEvent(missing) }
        // Each chosen event stands for the change it made; the event carrying that change now
        // is the one to revert (after a redo, the redo).
        var carriers: [UUID: UUID] = [:]
        for id in ids where carriers[id] == nil {
            var carrier = id
            if let chain = chains[rootOf[id] ?? id], let index = chain.firstIndex(of: id) {
                let lastIndex = chain.count - 1
                guard (lastIndex - index) % 2 == 0 else { throw RevertError.alreadyReverted(eventID: id, by: chain[index + 1]) }
                carrier = chain[lastIndex]
            }
            if let other = carriers.first(where: { $0.value == carrier })?.key {
                let (first, second) = (byID[other]?.position ?? 0) < (byID[id]?.position ?? 0) ? (other, id) : (id, other)
                throw RevertError.sameChangeTwice(first, second)
            }
            carriers[id] = carrier
        }
        let chosenIDs = Set(carriers.values)
        let found = seen.filter { chosenIDs.contains($0.id) }
        if !force {
            var conflicts: [RevertError.Conflict] = []
            var decoded: [Int64: Event] = [:]
            func event(_ recorded: RecordedEvent) throws -> Event? {
                if let known = decoded[recorded.position] { return known }
                let event = try Event.decode(recorded)
                decoded[recorded.position] = event
                return event
            }
            for original in found {
                guard let chosen = try event(original) else { continue }
                let own = chosen.fieldChanges, shared = chosen.sharedFieldChanges
                if own == .none && shared == .none { continue }
                let chosenID = carriers.first { $0.value == original.id }?.key ?? original.id
                for recorded in seen where recorded.position > original.position && !chosenIDs.contains(recorded.id) {
                    let sameStream = recorded.stream == original.stream
                    guard sameStream || shared != .none, let laterEvent = try event(recorded) else { continue }
                    var common = shared.conflicts(with: laterEvent.sharedFieldChanges)
                    if sameStream { common.formUnion(own.conflicts(with: laterEvent.fieldChanges)) }
                    if !common.isEmpty {
                        conflicts.append(RevertError.Conflict(eventID: chosenID, laterEventID: recorded.id, laterPosition: recorded.position, fields: common.sorted()))
                    }
                }
            }
            guard conflicts.isEmpty else { throw RevertError.conflicts(conflicts) }
        }
        return try await revert(found.sorted { $0.position > $1.position }, cancelled: [], reason: reason, actor: actor, dryRun: dryRun)
    }

    /// Appends (or plans) the inverses of `events`, given newest first.
    private func revert(_ events: [RecordedEvent], cancelled: [UUID], reason: String, actor: String?, dryRun: Bool) async throws -> RevertOutcome {
        let batchID = UUID.timeOrdered()
        var irreversible: [RevertError.Irreversible] = []
        var decoded: [(RecordedEvent, Event, Event)] = []
        for recorded in events {
            guard let event = try Event.decode(recorded) else { continue }
            guard let inverse = event.inverse else {
                irreversible.append(RevertError.Irreversible(eventID: recorded.id, type: recorded.type, position: recorded.position,
                                                             reason: event.irreversibleReason ?? "irreversible"))
                continue
            }
            decoded.append((recorded, event, inverse))
        }
        guard irreversible.isEmpty else { throw RevertError.irreversible(irreversible) }

        let states = AggregateStateSet(processor: processor)
        var steps: [RevertPlan.Step] = []
        var previews: [ProjectedEvent<Event>] = []
        var appends: [StreamAppend] = []
        var versions: [StreamID: Int64] = [:]
        let batch = batchID.uuidString
        for (original, _, inverse) in decoded {
            let recorded = try await inverse.recording(in: states)
            let effect = ViewEffect(of: original).reversed
            var metadata: [String: String] = original.metadata.isEmpty ? [:] : original.metadata.filter { !$0.key.hasPrefix(CommandContext.reservedMetadataPrefix) }
            metadata.reserveCapacity(metadata.count + 9)
            metadata[TimeMachine.revertsKey] = original.id.uuidString
            metadata[TimeMachine.batchKey] = batch
            metadata[TimeMachine.reasonKey] = reason
            metadata[ViewEffect.metadataKey] = effect.description
            let viewContext = EventContext(forViewsOf: original)
            metadata.merge(viewContext.viewMetadata) { _, new in new }
            let proposed = ProposedEvent(
                id: .timeOrdered(), type: recorded.typeName, schemaVersion: recorded.schemaVersion, payload: try recorded.encodedPayload(),
                correlationID: batchID, causationID: batchID, actor: actor, metadata: metadata)
            steps.append(RevertPlan.Step(original: original, inverseType: recorded.typeName, inverse: proposed, stream: original.stream))
            if dryRun {
                previews.append(ProjectedEvent(event: recorded, effect: effect, context: viewContext))
            }
            let current: Int64
            if let known = versions[original.stream] {
                current = known
            } else {
                current = try await store.streamVersion(original.stream)
            }
            // Consecutive inverses on one stream share an append.
            if let last = appends.indices.last, appends[last].stream == original.stream {
                appends[last].events.append(proposed)
            } else {
                appends.append(StreamAppend(stream: original.stream, expectedVersion: .exactly(current), events: [proposed]))
            }
            versions[original.stream] = current + 1
        }
        var plan = RevertPlan(batchID: batchID, reason: reason, steps: steps, cancelled: cancelled, aggregates: try await states.differences(), views: [])
        if dryRun {
            plan.views = try views.map { try $0.preview(previews) }.filter { !$0.rows.isEmpty }
            return RevertOutcome(plan: plan, positions: nil, dryRun: true)
        }
        guard !appends.isEmpty else { return RevertOutcome(plan: plan, positions: nil, dryRun: false) }
        let result = try await store.append(AppendBatch(appends, idempotencyKey: batchID))
        return RevertOutcome(plan: plan, positions: result.firstPosition...result.lastPosition, dryRun: false)
    }

    static var revertsKey: String { "chronicle.reverts" }
    static var batchKey: String { "chronicle.revert-batch" }
    static var reasonKey: String { "chronicle.revert-reason" }
}

/// A view a dry run can preview a revert on.
public protocol ViewPreviewing<Event>: Sendable {
    /// The module's event type.
    associatedtype Event: ModuleEvent
    /// How projecting the events would change the view.
    func preview(_ events: [ProjectedEvent<Event>]) throws -> ViewDifference
}

extension ViewHost: ViewPreviewing {}

import CoreMetrics
import Foundation
import Logging
import Synchronization

/// How a ``ViewStore`` keeps its views.
public struct ViewStoreOptions: Sendable {
    /// Persist a view once this many events were projected into it since it was last saved.
    public var persistEvery: Int
    /// Persist views with unsaved events at least this often while following the log.
    public var persistInterval: Duration
    /// Told about what the read side repaired or could not do without failing: a view file that
    /// was damaged or not of this log (rebuilt), views that could not be saved (a full disk).
    /// Silent by default; ``ViewStore/repairs`` keeps the repairs too.
    public var onWarning: (@Sendable (String) -> Void)?
    /// Where views are kept instead of the folder's files (a database shared by read sides on
    /// several machines); `nil` keeps them in the folder. The views load from it on the first
    /// catch-up.
    public var storage: (any ViewStorage)?
    /// Where the read side reports: a view that stops on an event (error), rebuilds (info), how
    /// far behind the log the views were when a catch-up began, and a rebuild's progress (see
    /// ``Observability``).
    public var observability: Observability

    /// Creates options.
    public init(persistEvery: Int = 50_000, persistInterval: Duration = .seconds(5), onWarning: (@Sendable (String) -> Void)? = nil,
                storage: (any ViewStorage)? = nil, observability: Observability = Observability()) {
        self.persistEvery = persistEvery
        self.persistInterval = persistInterval
        self.onWarning = onWarning
        self.storage = storage
        self.observability = observability
    }
}

/// The read side, the "query database": views served from memory, persisted as files in a
/// folder of their own (apart from the event log) with the log position each reflects, and kept
/// up to date from the log.
///
/// - **Start.** Each view loads its file and catches up from its position. A view whose file is
///   missing, damaged or of another definition (fingerprint) is rebuilt from the log, and so is
///   one that is not of this log: the first catch-up checks that the log holds, at the view's
///   position, the very event the view last reflected (a log restored from a backup, or
///   replaced, does not). ``repairs`` lists what was rebuilt and why.
/// - **Saving.** Views are saved to their files now and then; saving is only a head start for
///   the next process, so a failure to save (a full disk) is a warning, never a failed read:
///   the views stay correct in memory. ``persist()`` and ``close()`` do report it.
/// - **Inline.** ``catchUp(progress:)`` projects everything up to the log's end before it
///   returns; call it after a command to read your writes at once.
/// - **Background.** ``startFollowing()`` follows the log as it grows, also when another
///   process writes it (open that store read-only); ``wait(for:timeout:)`` waits until the
///   views reflect a position.
/// - Queries read views from memory only, never the log.
public final class ViewStore<Event: ModuleEvent>: Sendable {
    /// The log the views are built from.
    public let store: any EventStore
    /// The folder of the view files; `nil` keeps views in memory only.
    public let folder: String?
    private let hosts: [any ViewHosting<Event>]
    private let options: ViewStoreOptions
    private let gate = AsyncGate()
    private let reached: CommitNotifier
    private let follower = Mutex<Task<Void, Never>?>(nil)
    private let failure = Mutex<(any Error)?>(nil)
    private let lastPersist = Mutex(ContinuousClock.now)
    private let repaired = Mutex<[String]>([])
    private let checkedAgainstLog = Mutex(false)
    private let lastPersistFailure = Mutex<ContinuousClock.Instant?>(nil)
    /// Views whose stop was logged.
    private let reportedFailures = Mutex<Set<String>>([])
    /// How far behind the log the views were when a catch-up began.
    private let lag: Recorder?

    /// Creates the read side over views hosted in `folder`. Call ``catchUp(progress:)`` or
    /// ``startFollowing()`` to bring them up to date.
    public init(store: any EventStore, folder: String?, hosts: [any ViewHosting<Event>], options: ViewStoreOptions = ViewStoreOptions()) throws {
        if let folder {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw EventStoreError.io(operation: "create folder", path: folder, underlying: error)
            }
            ChecksummedFile.removeAbandonedTemporaries(in: folder)
        }
        self.store = store
        self.folder = folder
        self.hosts = hosts
        self.options = options
        self.lag = options.observability.recorder(Observability.MetricLabel.projectorLag, aggregate: false)
        self.reached = CommitNotifier(head: hosts.map(\.position).min() ?? 0)
        for host in hosts {
            if let problem = host.fileProblem { note("view \(host.name) is rebuilt from the log: \(problem)") }
        }
    }

    /// What the read side repaired since it opened: view files it did not trust and rebuilt from
    /// the log, with the reason.
    public var repairs: [String] { repaired.withLock { $0 } }

    private func note(_ repair: String) {
        repaired.withLock { $0.append(repair) }
        options.onWarning?(repair)
    }

    /// Rebuilds the views that are not of this log: their position is past its end, or the log
    /// holds another event there than the one they last reflected. Once, before the first catch-up.
    private func checkAgainstLog() async throws {
        guard !checkedAgainstLog.withLock({ $0 }) else { return }
        if let storage = options.storage {
            for host in hosts {
                if let problem = await host.load(from: storage) { note("view \(host.name) is rebuilt from the log: \(problem)") }
            }
            reached.publish(head: position)
        }
        let end = try await store.lastPosition()
        for host in hosts where host.position > 0 {
            let position = host.position
            if position > end {
                host.reset()
                note("view \(host.name) is rebuilt from the log: it reflected position \(position), but the log ends at \(end) (a restored or replaced log)")
                continue
            }
            let there = try await store.readAll(from: position, direction: .forward, limit: 1).first
            if there?.position != position || there?.id != host.lastEventID {
                host.reset()
                note("view \(host.name) is rebuilt from the log: the log holds another event at position \(position) than the one it reflected (a restored or replaced log)")
            }
        }
        checkedAgainstLog.withLock { $0 = true }
    }

    /// The last position every view reflects, leaving out views that stopped (see ``failures``).
    public var position: Int64 {
        let running = hosts.filter { $0.failure == nil }
        return (running.isEmpty ? hosts : running).map(\.position).min() ?? 0
    }

    /// The views that stopped on an event they could not project; they keep their last good
    /// state, and the others go on.
    public var failures: [ViewFailure] { hosts.compactMap(\.failure) }

    /// Each view's name and position.
    public var viewPositions: [ViewPosition] { hosts.map { ViewPosition(name: $0.name, position: $0.position) } }

    /// Projects every event up to the log's current end (or up to `limit`); returns the
    /// position reached.
    /// - Parameter progress: called with (position reached, target) as pages are projected.
    @discardableResult
    public func catchUp(upTo limit: Int64? = nil, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> Int64 {
        try await gate.run {
            try await checkAgainstLog()
            let end = try await store.lastPosition()
            let target = limit.map { min($0, end) } ?? end
            var next = position + 1
            lag?.record(max(0, target - position))
            while next <= target {
                let page = try await store.readAll(from: next, direction: .forward, limit: Int(min(4_096, target - next + 1)))
                guard let last = page.last else { break }
                for recorded in page { try project(recorded) }
                next = last.position + 1
                progress?(last.position, target)
                reportNewFailures()
                reached.publish(head: position)
                await persistIfDue()
            }
            reached.publish(head: position)
            return position
        }
    }

    /// Logs each view that stopped since the last look, once.
    private func reportNewFailures() {
        for failure in failures {
            guard reportedFailures.withLock({ $0.insert(failure.view).inserted }) else { continue }
            options.observability.logger.error("projection failed", metadata: [
                "chronicle.view": "\(failure.view)", "chronicle.position": "\(failure.position)",
                "chronicle.event_type": "\(failure.eventType)", "chronicle.reason": "\(failure.reason)",
            ])
        }
    }

    private func project(_ recorded: RecordedEvent) throws {
        guard let event = try Event.decode(recorded) else {
            for host in hosts { host.advance(to: recorded.position, eventID: recorded.id) }
            return
        }
        let effect = ViewEffect(of: recorded)
        let context = EventContext(forViewsOf: recorded)
        for host in hosts { host.project(event, effect: effect, context: context, at: recorded.position, recordedID: recorded.id) }
    }

    /// Follows the log in the background until ``close()``: projects new events as they are
    /// appended (by this process or another) and persists views now and then.
    public func startFollowing() {
        follower.withLock { task in
            guard task == nil else { return }
            task = Task { [self] in
                do {
                    while !Task.isCancelled {
                        let reached = try await catchUp()
                        // Wait for new events, but persist what is unsaved if none come for a while.
                        let interval = options.persistInterval
                        let store = self.store
                        let arrived = await withTaskGroup(of: Bool.self) { group in
                            group.addTask { (try? await store.waitForEvents(after: reached)) != nil && !Task.isCancelled }
                            group.addTask {
                                try? await Task.sleep(for: interval)
                                return false
                            }
                            let first = await group.next() ?? false
                            group.cancelAll()
                            return first
                        }
                        if !arrived { try await gate.run { await persistIfDue() } }
                    }
                } catch is CancellationError {
                } catch {
                    failure.withLock { $0 = error }
                    reached.wakeAll()
                }
            }
        }
    }

    /// Returns once every view reflects `position`, catching up first when no follower runs.
    /// - Throws: ``ViewStoreError/timeout(waitingFor:reached:)`` after `timeout`;
    ///   ``ViewStoreError/projectorFailed(_:)`` when the follower stopped on an error.
    public func wait(for position: Int64, timeout: Duration = .seconds(5)) async throws {
        if follower.withLock({ $0 == nil }) { try await catchUp() }
        let deadline = ContinuousClock.now + timeout
        while self.position < position {
            if let failure = failure.withLock({ $0 }) { throw ViewStoreError.projectorFailed(failure) }
            guard ContinuousClock.now < deadline else { throw ViewStoreError.timeout(waitingFor: position, reached: self.position) }
            let notifier = reached
            let current = self.position
            // Wake on progress, or at the deadline.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await notifier.wait(after: current) }
                group.addTask { try? await Task.sleep(until: deadline) }
                await group.next()
                group.cancelAll()
            }
        }
    }

    /// Empties the named views (all when `nil`) and projects the whole log into them again.
    public func rebuild(_ names: Set<String>? = nil, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws {
        let rebuilt = hosts.map(\.name).filter { names?.contains($0) ?? true }
        try await gate.run {
            for host in hosts where names?.contains(host.name) ?? true { host.reset() }
            reportedFailures.withLock { $0.subtract(rebuilt) }
        }
        let gauge = options.observability.recorder(Observability.MetricLabel.rebuildProgress, aggregate: false)
        gauge?.record(0.0)
        let position = try await catchUp { position, target in
            gauge?.record(target > 0 ? Double(position) / Double(target) : 1)
            progress?(position, target)
        }
        gauge?.record(1.0)
        options.observability.logger.info("views rebuilt", metadata: ["chronicle.views": "\(rebuilt.joined(separator: ", "))", "chronicle.position": "\(position)"])
        try await gate.run { try await persistNow() }
    }

    /// Writes every view with unsaved events to its file, on the runtime's I/O threads.
    public func persist() async throws {
        try await gate.run { try await persistNow() }
    }

    private func persistNow() async throws {
        let hosts = self.hosts
        if let storage = options.storage {
            // Not before the views were loaded from it: an empty view must not replace a stored one.
            guard checkedAgainstLog.withLock({ $0 }) else { return }
            for host in hosts where host.unsavedEvents > 0 { try await host.persist(to: storage) }
            lastPersist.withLock { $0 = .now }
            return
        }
        try await BlockingIOPool.shared.run {
            for host in hosts where host.unsavedEvents > 0 { try host.persist() }
        }
        lastPersist.withLock { $0 = .now }
    }

    /// Saves views when enough is unsaved or enough time passed. Saving only gives the next
    /// process a head start: a failure is a warning, and the next try waits an interval.
    private func persistIfDue() async {
        let interval = options.persistInterval
        if let failed = lastPersistFailure.withLock({ $0 }), failed.duration(to: .now) < interval { return }
        let due = hosts.contains { $0.unsavedEvents >= options.persistEvery }
            || lastPersist.withLock { $0.duration(to: .now) >= interval }
        guard due else { return }
        do {
            try await persistNow()
            lastPersistFailure.withLock { $0 = nil }
        } catch {
            lastPersistFailure.withLock { $0 = .now }
            options.onWarning?("views could not be saved (they stay correct in memory): \(error)")
        }
    }

    /// Stops following the log and persists every view.
    public func close() async throws {
        let task = follower.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        task?.cancel()
        await task?.value
        try await gate.run { try await persistNow() }
    }
}

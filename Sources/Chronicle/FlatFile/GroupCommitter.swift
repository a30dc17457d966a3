import Dispatch
import Foundation
import CoreMetrics
import Synchronization

/// The flat-file store's writer: appends are checked and encoded as they arrive, then a dedicated
/// thread writes everything that queued up while the previous `fdatasync` ran with one write and
/// one `fdatasync` (group commit), and only then answers each append.
final class GroupCommitter: Sendable {
    private struct Pending {
        let batch: RecordedBatch
        /// 0 for a duplicate of a batch queued before it, which writes nothing.
        let frameLength: Int
        let continuation: CheckedContinuation<AppendResult, any Error>
        var isDuplicate: Bool { frameLength == 0 }
    }

    private struct State {
        /// Stream versions including queued, not yet durable batches.
        var versions: StreamVersions
        var nextPosition: Int64
        var lastRecordedAt: Int64
        var bytes: [UInt8] = []
        var pending: [Pending] = []
        /// Idempotency keys of queued batches.
        var queuedKeys: [UUID: RecordedBatch] = [:]
        var closing = false
        /// Set when the log could not be brought back to a known state after a failed write.
        var broken: EventStoreError?
    }

    private let state: Mutex<State>
    /// How many appends are queued; read without the lock while a group gathers.
    private let queuedCount = Atomic<Int>(0)
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let index: Locked<LogIndex>
    private let notifier: CommitNotifier
    private let preparer: SegmentPreparer
    private let segmentSize: Int
    private let clock: any WallClock
    /// Reads the result of a committed batch, for a duplicate of it.
    private let committedResult: @Sendable (Int) throws -> AppendResult

    /// The commit checkpoint file, rewritten after each commit for readers in other processes.
    private let checkpoint: LogFile?
    /// What each commit reports (`nil` when observability is off).
    private let appendedEvents: Counter?, appendedBatches: Counter?, commitDuration: CoreMetrics.Timer?, groupSize: Recorder?

    init(index: Locked<LogIndex>, notifier: CommitNotifier, layout: StoreLayout, segmentSize: Int, clock: any WallClock,
         checkpoint: LogFile?, observability: Observability, committedResult: @escaping @Sendable (Int) throws -> AppendResult) {
        appendedEvents = observability.counter(Observability.MetricLabel.appendedEvents)
        appendedBatches = observability.counter(Observability.MetricLabel.appendedBatches)
        commitDuration = observability.timer(Observability.MetricLabel.commitDuration)
        groupSize = observability.recorder(Observability.MetricLabel.groupCommitSize)
        self.committedResult = committedResult
        self.checkpoint = checkpoint
        let start = index.withLock { State(versions: $0.versions, nextPosition: $0.lastPosition + 1, lastRecordedAt: $0.lastRecordedAt) }
        self.state = Mutex(start)
        self.index = index
        self.notifier = notifier
        self.preparer = SegmentPreparer(layout: layout, size: segmentSize)
        self.segmentSize = segmentSize
        self.clock = clock
        let thread = Thread { [self] in run() }
        thread.name = "chronicle.group-commit"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Queues a batch and returns once it is durable.
    func append(_ batch: AppendBatch) async throws -> AppendResult {
        let now = clock.now().nanosecondsSince1970
        return try await withCheckedThrowingContinuation { continuation in
            enum Outcome { case queued, answered, duplicateOfRecord(Int) }
            let outcome: Outcome = state.withLock { state in
                do {
                    if let broken = state.broken { throw broken }
                    guard !state.closing else { throw EventStoreError.notWritable("the store is closed") }
                    if let key = batch.idempotencyKey {
                        if let queued = state.queuedKeys[key] {
                            state.pending.append(Pending(batch: queued, frameLength: 0, continuation: continuation))
                            return .queued
                        }
                        if let record = index.withLock({ $0.keys[key] }) { return .duplicateOfRecord(record) }
                    }
                    let firsts = try state.versions.check(batch)
                    let time = max(now, state.lastRecordedAt)
                    let recorded = RecordedBatch(batch: batch, firstVersions: firsts, firstPosition: state.nextPosition, recordedAtNanoseconds: time)
                    let length = try LogRecord.appendFrame(of: recorded, to: &state.bytes)
                    for append in batch.appends { state.versions.advance(append.stream, by: append.events.count) }
                    state.nextPosition = recorded.lastPosition + 1
                    state.lastRecordedAt = time
                    state.pending.append(Pending(batch: recorded, frameLength: length, continuation: continuation))
                    if let key = batch.idempotencyKey { state.queuedKeys[key] = recorded }
                    queuedCount.store(state.pending.count, ordering: .relaxed)
                    return .queued
                } catch {
                    continuation.resume(throwing: error)
                    return .answered
                }
            }
            switch outcome {
            case .queued: wakeUp.signal()
            case .answered: break
            case .duplicateOfRecord(let record):
                continuation.resume(with: Result { try committedResult(record) })
            }
        }
    }

    /// Stops accepting appends, commits what is queued, and stops the writer thread.
    func close() async {
        let alreadyClosing = state.withLock { state in
            defer { state.closing = true }
            return state.closing
        }
        guard !alreadyClosing else { return }
        wakeUp.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                finished.signal()  // later callers of close() pass too
                continuation.resume()
            }
        }
    }

    private func run() {
        var lastGroupSize = 1
        while true {
            wakeUp.wait()
            gather(upTo: lastGroupSize)
            let (bytes, group, closing) = state.withLock { state in
                defer {
                    state.bytes = []
                    state.pending = []
                    queuedCount.store(0, ordering: .relaxed)
                }
                return (state.bytes, state.pending, state.closing)
            }
            if !group.isEmpty {
                commit(bytes, group)
                lastGroupSize = group.count
            }
            if closing && group.isEmpty { break }
            if closing { wakeUp.signal() }  // drain anything queued before closing took effect
        }
        preparer.wait()
        try? checkpoint?.syncData()
        finished.signal()
    }

    /// Under load, appenders answered by the last flush come back one by one while the next group
    /// forms: wait a moment (at most about 0.2 ms) until as many appends are queued as the last
    /// group held, so that each flush carries as much as the load offers. A lone writer (last
    /// group of one) never waits.
    private func gather(upTo target: Int) {
        guard target > 1 else { return }
        let deadline = DispatchTime.now().uptimeNanoseconds + 200_000
        while true {
            for _ in 0..<32 {
                let queued = queuedCount.load(ordering: .relaxed)
                if queued == 0 || queued >= target { return }
                // Give the appenders the core rather than sleeping: a sleep lasts at least ~60 µs.
                sched_yield()
            }
            if DispatchTime.now().uptimeNanoseconds >= deadline { return }
        }
    }

    private func commit(_ bytes: [UInt8], _ group: [Pending]) {
        let started = DispatchTime.now().uptimeNanoseconds
        var (segment, offset) = index.withLock { ($0.segments[$0.segments.count - 1], $0.endOffset) }
        var movedOn = false
        do {
            if offset > Int64(Segment.headerLength), offset + Int64(bytes.count) > Int64(segmentSize) {
                movedOn = true
                segment = try preparer.install(segment.number + 1)
                offset = Int64(Segment.headerLength)
                index.withLock { $0.addSegment(segment) }
            }
            try segment.file.write(bytes, at: offset)
            try segment.file.syncData()
            if offset + Int64(bytes.count) > Int64(segmentSize / 2) { preparer.prepare(segment.number + 1) }
        } catch {
            fail(group, with: error, segment: segment, cutAt: offset)
            return
        }
        let committed = index.withLock { index -> CommitCheckpoint in
            var recordOffset = offset
            for pending in group where !pending.isDuplicate {
                // The batch was checked against these same versions when it was queued.
                try? index.add(pending.batch, offset: recordOffset, length: pending.frameLength)
                recordOffset += Int64(pending.frameLength)
            }
            return CommitCheckpoint(segment: segment.number, endOffset: index.endOffset, lastPosition: index.lastPosition)
        }
        let lastPosition = committed.lastPosition
        // Readers in other processes read up to here. Not flushed: after a crash it may lag
        // behind the log, which is safe; it is never ahead, since the data was flushed first.
        try? checkpoint?.write(committed.bytes, at: 0)
        // Flushed once per segment, so that a missing last segment is noticed after a crash.
        if movedOn { try? checkpoint?.syncData() }
        state.withLock { state in
            for pending in group { if let key = pending.batch.idempotencyKey { state.queuedKeys[key] = nil } }
        }
        notifier.publish(head: lastPosition)
        if let commitDuration {
            commitDuration.recordNanoseconds(Int64(clamping: DispatchTime.now().uptimeNanoseconds &- started))
            let written = group.filter { !$0.isDuplicate }
            appendedBatches?.increment(by: written.count)
            appendedEvents?.increment(by: written.reduce(0) { $0 + $1.batch.events.count })
            groupSize?.record(written.count)
        }
        for pending in group {
            var result = pending.batch.result
            result.isDuplicate = pending.isDuplicate
            pending.continuation.resume(returning: result)
        }
    }

    /// Answers a failed group, and everything queued behind it (it was checked against versions
    /// that assumed the group would commit), with the error, after cutting off whatever part of
    /// the group reached the file.
    private func fail(_ group: [Pending], with error: any Error, segment: Segment, cutAt offset: Int64) {
        var broken: EventStoreError?
        do {
            try segment.file.truncate(to: offset)
            try segment.file.syncData()
        } catch {
            broken = .notWritable("a write failed and its partial bytes could not be removed (\(error)); reopen the store to recover")
        }
        let queued = state.withLock { state in
            defer {
                state.pending = []
                state.bytes = []
                state.queuedKeys = [:]
                queuedCount.store(0, ordering: .relaxed)
            }
            let committed = index.withLock { ($0.versions, $0.lastPosition, $0.lastRecordedAt) }
            state.versions = committed.0
            state.nextPosition = committed.1 + 1
            state.lastRecordedAt = max(state.lastRecordedAt, committed.2)
            if let broken { state.broken = broken }
            return state.pending
        }
        for pending in group + queued { pending.continuation.resume(throwing: error) }
    }
}

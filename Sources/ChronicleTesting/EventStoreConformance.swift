import Chronicle
import Foundation
import Synchronization

/// The behaviour every ``EventStore`` backend must show, as a list of named checks that a test
/// suite runs one by one against fresh stores.
///
/// ```swift
/// @Test(arguments: EventStoreConformance.checks)
/// func conformance(_ check: EventStoreConformance.Check) async throws {
///     try await check.run { clock in
///         let store = try MyStore(clock: clock)
///         return EventStoreConformance.Subject(store) { await store.close() }
///     }
/// }
/// ```
public enum EventStoreConformance {
    /// A store under test, with what closes it.
    public struct Subject: Sendable {
        /// The store.
        public let store: any EventStore
        /// Releases the store at the end of a check.
        public let close: @Sendable () async -> Void

        /// Creates a subject.
        public init(_ store: any EventStore, close: @escaping @Sendable () async -> Void = {}) {
            self.store = store
            self.close = close
        }
    }

    /// Makes a fresh, empty store whose recorded-at times come from the given clock.
    public typealias MakeStore = @Sendable (ManualWallClock) async throws -> Subject

    /// One named conformance check.
    public struct Check: Sendable, CustomStringConvertible {
        /// The check's name, as tests show it.
        public let name: String
        let body: @Sendable (any EventStore, ManualWallClock) async throws -> Void

        public var description: String { name }

        /// Runs the check on a fresh store made by `makeStore`, closing it afterwards.
        /// - Throws: ``ConformanceFailure`` when the store does not behave as required.
        public func run(makeStore: MakeStore) async throws {
            let clock = ManualWallClock()
            let subject = try await makeStore(clock)
            do {
                try await body(subject.store, clock)
            } catch {
                await subject.close()
                throw error
            }
            await subject.close()
        }
    }

    /// Every check.
    public static let checks: [Check] = [
        Check(name: "append then read back every envelope field", body: appendAndReadBack),
        Check(name: "expected version: no stream", body: expectNoStream),
        Check(name: "expected version: exactly N", body: expectExactVersion),
        Check(name: "multi-stream batches are all or nothing", body: atomicMultiStreamBatch),
        Check(name: "malformed batches are refused", body: malformedBatches),
        Check(name: "positions are gapless and times never decrease", body: orderAndTimes),
        Check(name: "concurrent writers never interleave batches", body: concurrentWriters),
        Check(name: "concurrent conflicting appends: exactly one wins", body: concurrentConflicts),
        Check(name: "read a stream forward and backward", body: readStreamBothWays),
        Check(name: "read all forward and backward", body: readAllBothWays),
        Check(name: "position at a date", body: positionAtDate),
        Check(name: "subscription catches up, then follows", body: subscriptionFollows),
        Check(name: "subscription ends when cancelled", body: subscriptionCancels),
        Check(name: "an idempotency key records a batch once", body: idempotentAppends),
        Check(name: "a stream may come back within a batch", body: streamTwiceInABatch),
        Check(name: "concurrent appends with one idempotency key record it once", body: concurrentIdempotentAppends),
    ]

    // MARK: Helpers

    static func event(_ type: String = "Test.Happened", _ text: String = "", batch: String? = nil) -> ProposedEvent {
        var metadata: [String: String] = [:]
        if let batch { metadata["batch"] = batch }
        return ProposedEvent(type: type, payload: Array("{\"text\":\"\(text)\"}".utf8), metadata: metadata)
    }

    static func events(_ count: Int, prefix: String = "e", batch: String? = nil) -> [ProposedEvent] {
        (0..<count).map { event("Test.Happened", "\(prefix)\($0)", batch: batch) }
    }

    static func readEverything(_ store: any EventStore) async throws -> [RecordedEvent] {
        var all: [RecordedEvent] = []
        var next: Int64 = 1
        while true {
            let page = try await store.readAll(from: next, direction: .forward, limit: 100)
            guard let last = page.last else { return all }
            all += page
            next = last.position + 1
        }
    }

    static func isConflict(_ error: any Error, stream: StreamID, expected: ExpectedVersion, actual: Int64) -> Bool {
        guard case let EventStoreError.wrongExpectedVersion(s, e, a) = error else { return false }
        return s == stream && e == expected && a == actual
    }

    // MARK: Checks

    static func appendAndReadBack(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let correlation = UUID(), causation = UUID()
        let proposed = ProposedEvent(
            type: "Account.Deposited", schemaVersion: 3, payload: Array("{\"amount\":125,\"note\":\"caf\u{e9} \\\"x\\\"\"}".utf8),
            correlationID: correlation, causationID: causation, actor: "teller-7", metadata: ["channel": "web", "ip": "10.0.0.1"])
        let bare = ProposedEvent(type: "Account.Opened", payload: [])
        let result = try await store.append(to: "Account-1", [bare, proposed])
        try requireEqual(result.firstPosition, 1, "first position")
        try requireEqual(result.lastPosition, 2, "last position")
        try requireEqual(result.streamVersions["Account-1"], 2, "stream version after append")
        try requireEqual(result.recordedAtNanoseconds, clock.now().nanosecondsSince1970, "recorded-at comes from the clock")
        let read = try await store.readStream("Account-1", from: 1, direction: .forward, limit: 10)
        try requireEqual(read.count, 2, "events read")
        let event = read[1]
        try requireEqual(event.id, proposed.id, "id")
        try requireEqual(event.type, proposed.type, "type")
        try requireEqual(event.schemaVersion, 3, "schema version")
        try requireEqual(event.payload, proposed.payload, "payload")
        try requireEqual(event.correlationID, correlation, "correlation id")
        try requireEqual(event.causationID, causation, "causation id")
        try requireEqual(event.actor, "teller-7", "actor")
        try requireEqual(event.metadata, proposed.metadata, "metadata")
        try requireEqual(event.stream, "Account-1", "stream")
        try requireEqual(event.streamVersion, 2, "stream version")
        try requireEqual(event.position, 2, "position")
        try requireEqual(event.recordedAtNanoseconds, result.recordedAtNanoseconds, "recorded-at")
        try requireEqual(read[0].payload, [], "empty payload")
        try requireEqual(read[0].actor, nil, "absent actor")
        try requireEqual(read[0].correlationID, nil, "absent correlation id")
        try requireEqual(try await store.readAll(from: 1, direction: .forward, limit: 10), read, "the same events through readAll")
        try requireEqual(try await store.lastPosition(), 2, "last position")
        try requireEqual(try await store.streamVersion("Account-1"), 2, "stream version")
        try requireEqual(try await store.streamVersion("Account-2"), 0, "version of a stream without events")
    }

    static func expectNoStream(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "S", expectedVersion: .noStream, events(1))
        try await requireThrows("second append expecting no stream", { try await store.append(to: "S", expectedVersion: .noStream, events(1)) }) {
            isConflict($0, stream: "S", expected: .noStream, actual: 1)
        }
        try requireEqual(try await store.lastPosition(), 1, "nothing recorded by the conflicting append")
        try requireEqual(try await store.streamVersion("S"), 1, "stream version unchanged")
    }

    static func expectExactVersion(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "S", expectedVersion: .exactly(0), events(2))
        try await store.append(to: "S", expectedVersion: .exactly(2), events(1))
        for wrong: Int64 in [0, 2, 4] {
            try await requireThrows("append expecting version \(wrong)", { try await store.append(to: "S", expectedVersion: .exactly(wrong), events(1)) }) {
                isConflict($0, stream: "S", expected: .exactly(wrong), actual: 3)
            }
        }
        try await requireThrows("append to a missing stream expecting version 1", { try await store.append(to: "T", expectedVersion: .exactly(1), events(1)) }) {
            isConflict($0, stream: "T", expected: .exactly(1), actual: 0)
        }
        try requireEqual(try await store.lastPosition(), 3, "nothing recorded by conflicting appends")
        let error = EventStoreError.wrongExpectedVersion(stream: "S", expected: .exactly(2), actual: 3)
        try require(error.description.contains("expected version 2") && error.description.contains("actual version 3"), "conflict message names expected and actual: \(error)")
    }

    static func atomicMultiStreamBatch(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "A", events(1))
        try await store.append(to: "B", events(2))
        let wrong = AppendBatch([
            StreamAppend(stream: "A", expectedVersion: .exactly(1), events: events(1, prefix: "a")),
            StreamAppend(stream: "B", expectedVersion: .exactly(1), events: events(1, prefix: "b")),
        ])
        try await requireThrows("batch with one wrong expected version", { try await store.append(wrong) }) {
            isConflict($0, stream: "B", expected: .exactly(1), actual: 2)
        }
        try requireEqual(try await store.lastPosition(), 3, "nothing of the failed batch recorded")
        try requireEqual(try await store.streamVersion("A"), 1, "stream A untouched")
        let right = AppendBatch([
            StreamAppend(stream: "A", expectedVersion: .exactly(1), events: events(2, prefix: "a")),
            StreamAppend(stream: "B", expectedVersion: .exactly(2), events: events(1, prefix: "b")),
            StreamAppend(stream: "C", expectedVersion: .noStream, events: events(1, prefix: "c")),
        ])
        let result = try await store.append(right)
        try requireEqual(result.firstPosition, 4, "batch first position")
        try requireEqual(result.lastPosition, 7, "batch last position")
        try requireEqual(result.streamVersions, ["A": 3, "B": 3, "C": 1], "versions after the batch")
        let tail = try await store.readAll(from: 4, direction: .forward, limit: 10)
        try requireEqual(tail.map(\.stream), ["A", "A", "B", "C"], "batch order in the log")
        try requireEqual(tail.map(\.streamVersion), [2, 3, 3, 1], "stream versions in the log")
        try requireEqual(Set(tail.map(\.recordedAtNanoseconds)).count, 1, "one recorded-at time per batch")
    }

    static func malformedBatches(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let isInvalid: (any Error) -> Bool = { if case EventStoreError.invalidBatch = $0 { return true } else { return false } }
        try await requireThrows("empty batch", { try await store.append(AppendBatch([])) }, matches: isInvalid)
        try await requireThrows("batch without events", { try await store.append(to: "S", []) }, matches: isInvalid)
        try await requireThrows("an append without events", {
            try await store.append(AppendBatch([StreamAppend(stream: "S", events: events(1)), StreamAppend(stream: "T", events: [])]))
        }, matches: isInvalid)
        try await requireThrows("empty stream name", { try await store.append(to: "", events(1)) }, matches: isInvalid)
        try requireEqual(try await store.lastPosition(), 0, "nothing recorded")
    }

    static func orderAndTimes(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        var times: [Int64] = []
        for round in 0..<20 {
            // The clock jumps back now and then: recorded-at times must still never decrease.
            clock.advance(by: round % 5 == 4 ? -3_600 : 60)
            let result = try await store.append(to: StreamID("S-\(round % 3)"), events(round % 4 + 1))
            times.append(result.recordedAtNanoseconds)
        }
        let all = try await readEverything(store)
        try requireEqual(all.map(\.position), Array(1...Int64(all.count)), "positions from 1 without gaps")
        try requireEqual(all.count, (0..<20).reduce(0) { $0 + $1 % 4 + 1 }, "every event present")
        try require(zip(all, all.dropFirst()).allSatisfy { $0.recordedAtNanoseconds <= $1.recordedAtNanoseconds }, "recorded-at times never decrease along the log")
        try require(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 }, "append results' times never decrease")
    }

    static func concurrentWriters(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let writers = 8, batchesPerWriter = 25, eventsPerBatch = 3
        let done = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for batch in 0..<batchesPerWriter {
                        let tag = "w\(writer)-b\(batch)"
                        // Each batch spans two streams: its own writer's and a shared one.
                        try await store.append(AppendBatch([
                            StreamAppend(stream: StreamID("writer-\(writer)"), expectedVersion: .exactly(Int64(batch * (eventsPerBatch - 1))),
                                         events: events(eventsPerBatch - 1, prefix: tag, batch: tag)),
                            StreamAppend(stream: "shared", events: [event("Test.Happened", tag, batch: tag)]),
                        ]))
                    }
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    // Readers must only ever see whole batches.
                    while !done.isSet {
                        let seen = try await readEverything(store)
                        var counts: [String: Int] = [:]
                        for event in seen { counts[event.metadata["batch"] ?? "", default: 0] += 1 }
                        for (tag, count) in counts where count != eventsPerBatch {
                            throw ConformanceFailure(message: "a reader saw \(count) of the \(eventsPerBatch) events of batch \(tag)", file: #fileID, line: #line)
                        }
                        await Task.yield()
                    }
                }
            }
            for _ in 0..<writers { try await group.next() }
            done.set()
            try await group.waitForAll()
        }
        let all = try await readEverything(store)
        try requireEqual(all.count, writers * batchesPerWriter * eventsPerBatch, "every event recorded")
        try requireEqual(all.map(\.position), Array(1...Int64(all.count)), "gapless positions")
        var index = 0
        while index < all.count {
            let tag = all[index].metadata["batch"]
            let run = all[index..<index + eventsPerBatch]
            try require(run.allSatisfy { $0.metadata["batch"] == tag }, "batch \(tag ?? "?") is contiguous in the log")
            index += eventsPerBatch
        }
        for writer in 0..<writers {
            let stream = try await store.readStream(StreamID("writer-\(writer)"), from: 1, direction: .forward, limit: 1_000)
            try requireEqual(stream.map(\.streamVersion), Array(1...Int64(batchesPerWriter * (eventsPerBatch - 1))), "versions of writer-\(writer)")
        }
        try requireEqual(try await store.streamVersion("shared"), Int64(writers * batchesPerWriter), "shared stream version")
    }

    static func concurrentConflicts(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "contested", events(1))
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for contender in 0..<16 {
                group.addTask {
                    do {
                        try await store.append(to: "contested", expectedVersion: .exactly(1), events(1, prefix: "c\(contender)"))
                        return true
                    } catch let error where isConflict(error, stream: "contested", expected: .exactly(1), actual: 2) {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        try requireEqual(outcomes.filter { $0 }.count, 1, "appends that won")
        try requireEqual(try await store.lastPosition(), 2, "events recorded")
    }

    static func readStreamBothWays(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        for round in 0..<10 {
            try await store.append(to: "X", events(1, prefix: "x\(round)-"))
            try await store.append(to: "Y", events(2, prefix: "y\(round)-"))
        }
        let forward = try await store.readStream("X", from: 1, direction: .forward, limit: 100)
        try requireEqual(forward.map(\.streamVersion), Array(1...10), "forward versions")
        try require(forward.allSatisfy { $0.stream == "X" }, "only the stream's events")
        try requireEqual(try await store.readStream("X", from: 4, direction: .forward, limit: 3).map(\.streamVersion), [4, 5, 6], "forward from 4, limit 3")
        try requireEqual(try await store.readStream("X", from: 4, direction: .backward, limit: 10).map(\.streamVersion), [4, 3, 2, 1], "backward from 4")
        try requireEqual(try await store.readStream("Y", from: .max, direction: .backward, limit: 3).map(\.streamVersion), [20, 19, 18], "backward from the end")
        try requireEqual(try await store.readStream("X", from: 11, direction: .forward, limit: 5), [], "forward past the end")
        try requireEqual(try await store.readStream("nobody", from: 1, direction: .forward, limit: 5), [], "missing stream")
        let backward = try await store.readStream("Y", from: .max, direction: .backward, limit: 100)
        try requireEqual(backward.map(\.id), try await store.readStream("Y", from: 1, direction: .forward, limit: 100).reversed().map(\.id), "backward is forward reversed")
    }

    static func readAllBothWays(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        for round in 0..<15 { try await store.append(to: StreamID("S\(round % 4)"), events(round % 3 + 1)) }
        let all = try await readEverything(store)
        let total = Int64(all.count)
        try requireEqual(try await store.readAll(from: 5, direction: .forward, limit: 4).map(\.position), [5, 6, 7, 8], "forward page")
        try requireEqual(try await store.readAll(from: 5, direction: .backward, limit: 3).map(\.position), [5, 4, 3], "backward page")
        try requireEqual(try await store.readAll(from: .max, direction: .backward, limit: 2).map(\.position), [total, total - 1], "backward from the end")
        try requireEqual(try await store.readAll(from: total + 1, direction: .forward, limit: 2), [], "forward past the end")
        try requireEqual(try await store.readAll(from: 0, direction: .backward, limit: 2), [], "backward before the start")
        try requireEqual(try await store.readAll(from: 0, direction: .forward, limit: 1).map(\.position), [1], "forward from 0 starts at 1")
        var backward: [RecordedEvent] = []
        var next = Int64.max
        while true {
            let page = try await store.readAll(from: next, direction: .backward, limit: 4)
            guard let last = page.last else { break }
            backward += page
            next = last.position - 1
        }
        try requireEqual(backward.map(\.id), all.reversed().map(\.id), "paging backward visits every event in reverse")
    }

    static func positionAtDate(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let start = clock.now()
        try requireEqual(try await store.lastPosition(atOrBefore: start), 0, "empty log")
        var endOfDay: [(position: Int64, date: Date)] = []
        for day in 0..<5 {
            for _ in 0..<(day + 1) {
                try await store.append(to: StreamID("D\(day)"), events(2))
                clock.advance(by: 600)
            }
            // An hour after the day's last append; the next day's first comes a day later.
            endOfDay.append((try await store.lastPosition(), clock.now().addingTimeInterval(3_600)))
            clock.advance(by: 86_400)
        }
        for (day, end) in endOfDay.enumerated() {
            try requireEqual(try await store.lastPosition(atOrBefore: end.date), end.position, "position at the end of day \(day)")
        }
        try requireEqual(try await store.lastPosition(atOrBefore: start.addingTimeInterval(-1)), 0, "before the first event")
        try requireEqual(try await store.lastPosition(atOrBefore: start), 2, "at the first event's time")
        try requireEqual(try await store.lastPosition(atOrBefore: clock.now()), endOfDay[4].position, "now")
    }

    static func subscriptionFollows(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "S", events(10))
        let received = try await withThrowingTaskGroup(of: [Int64].self) { group in
            group.addTask {
                var positions: [Int64] = []
                for try await event in store.subscribe(from: 1, pageSize: 4) {
                    positions.append(event.position)
                    if positions.count == 25 { break }
                }
                return positions
            }
            group.addTask {
                for round in 0..<5 {
                    try await Task.sleep(for: .milliseconds(5))
                    try await store.append(to: StreamID("T\(round)"), events(3))
                }
                return []
            }
            var results: [[Int64]] = []
            for try await result in group { results.append(result) }
            return results.max { $0.count < $1.count } ?? []
        }
        try requireEqual(received, Array(1...25), "subscription delivers old and new events once, in order")
        var fromMiddle: [Int64] = []
        for try await event in store.subscribe(from: 20) {
            fromMiddle.append(event.position)
            if event.position == 25 { break }
        }
        try requireEqual(fromMiddle, Array(20...25), "subscription from a position")
    }

    static func streamTwiceInABatch(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "S", events(1))
        let interleaved = AppendBatch([
            StreamAppend(stream: "S", expectedVersion: .exactly(1), events: events(1, prefix: "s")),
            StreamAppend(stream: "T", expectedVersion: .noStream, events: events(1, prefix: "t")),
            StreamAppend(stream: "S", expectedVersion: .exactly(2), events: events(2, prefix: "s")),
        ])
        let result = try await store.append(interleaved)
        try requireEqual(result.streamVersions, ["S": 4, "T": 1], "versions after the batch")
        try requireEqual(try await store.readAll(from: 2, direction: .forward, limit: 10).map(\.stream), ["S", "T", "S", "S"], "the batch's order")
        try requireEqual(try await store.readStream("S", from: 1, direction: .forward, limit: 10).map(\.streamVersion), [1, 2, 3, 4], "S's versions")
        // The second append must expect the version the first one leaves.
        try await requireThrows("a repeated stream expecting its version before the batch", {
            try await store.append(AppendBatch([
                StreamAppend(stream: "S", expectedVersion: .exactly(4), events: events(1)),
                StreamAppend(stream: "S", expectedVersion: .exactly(4), events: events(1)),
            ]))
        }) { isConflict($0, stream: "S", expected: .exactly(4), actual: 5) }
        try requireEqual(try await store.lastPosition(), 5, "nothing of the failed batch recorded")
    }

    static func idempotentAppends(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let key = UUID()
        try await store.append(to: "other", events(2))
        let batch = AppendBatch([StreamAppend(stream: "A", events: events(2)), StreamAppend(stream: "B", events: events(1))], idempotencyKey: key)
        let first = try await store.append(batch)
        try require(!first.isDuplicate, "the first append is not a duplicate")
        try await store.append(to: "other", events(1))
        clock.advance(by: 60)
        // The same key again, even with other events: nothing is recorded, the original is returned.
        let again = try await store.append(AppendBatch(stream: "C", events: events(5), idempotencyKey: key))
        try require(again.isDuplicate, "the second append is a duplicate")
        try requireEqual(again.firstPosition, first.firstPosition, "duplicate's first position")
        try requireEqual(again.lastPosition, first.lastPosition, "duplicate's last position")
        try requireEqual(again.streamVersions, first.streamVersions, "duplicate's stream versions")
        try requireEqual(again.recordedAtNanoseconds, first.recordedAtNanoseconds, "duplicate's time")
        try requireEqual(try await store.lastPosition(), 6, "nothing recorded twice")
        try requireEqual(try await store.streamVersion("C"), 0, "the duplicate's stream untouched")
        try requireEqual(try await store.result(forIdempotencyKey: key), again, "the result looked up by key")
        try requireEqual(try await store.result(forIdempotencyKey: UUID()), nil, "an unknown key")
        // Without a key, the same events are recorded again.
        let unkeyed = try await store.append(AppendBatch(stream: "A", events: events(1)))
        try require(!unkeyed.isDuplicate, "an append without a key is never a duplicate")
    }

    static func concurrentIdempotentAppends(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        let key = UUID()
        let results = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for _ in 0..<12 {
                group.addTask { try await store.append(AppendBatch(stream: "S", events: events(3), idempotencyKey: key)) }
            }
            return try await group.reduce(into: [AppendResult]()) { $0.append($1) }
        }
        try requireEqual(results.filter { !$0.isDuplicate }.count, 1, "appends that recorded")
        try requireEqual(Set(results.map(\.firstPosition)), [1], "every caller sees the same positions")
        try requireEqual(try await store.lastPosition(), 3, "events recorded")
    }

    static func subscriptionCancels(_ store: any EventStore, _ clock: ManualWallClock) async throws {
        try await store.append(to: "S", events(2))
        let delivered = Counter()
        let task = Task {
            var count = 0
            for try await _ in store.subscribe(from: 1) {
                count += 1
                delivered.set(count)
            }
            return count
        }
        // Cancelled once both arrived, while it waits for more (the wait is a hang guard only).
        let deadline = ContinuousClock.now + .seconds(120)
        while delivered.value < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        task.cancel()
        let count = try await task.value
        try requireEqual(count, 2, "events delivered before cancellation")
    }
}

/// A count one task sets and others read.
final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func set(_ value: Int) { count.withLock { $0 = value } }
}

/// A flag one task sets and others read.
final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

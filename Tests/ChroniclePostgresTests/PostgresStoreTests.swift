import Chronicle
@testable import ChroniclePostgres
import Foundation
import PostgresNIO
import Synchronization
import TestSupport
import Testing

/// What the PostgreSQL store must do beyond the conformance suite: several writers on one
/// database, a catch-up reader that never skips a late commit, subscriptions that outlive their
/// connection, and clear errors.
@Suite("PostgreSQL store", .enabled(if: TestDatabase.enabled, TestDatabase.skipMessage), .timeLimit(.minutes(10)))
struct PostgresStoreTests {
    static func event(_ text: String) -> ProposedEvent {
        ProposedEvent(type: "Test.Happened", payload: Array("{\"text\":\"\(text)\"}".utf8))
    }

    /// Writer processes append concurrently while a reader follows the log: it sees every
    /// position exactly once, in order, and each stream's versions without a gap.
    @Test("several writer processes, and a reader that sees every position once, in order")
    func writerProcessesAndAGaplessReader() async throws {
        let location = try TestDatabase.freshLocation()
        let store = try await TestDatabase.open(location)
        let folder = try TemporaryFolder()
        let writers = 3, eventsEach = 600
        var processes: [ChildProcess] = []
        defer { for process in processes { process.signal(SIGKILL) } }
        for _ in 0..<writers {
            processes.append(try CLIProcess.start(
                ["workload", "--store", location.description, "--events", "\(eventsEach)", "--batch", "3", "--writers", "4", "--deposits-per-account", "20"],
                in: folder, executable: CLIProcess.workload))
        }
        let total = Int64(writers * eventsEach)
        var expected: Int64 = 1
        var versions: [StreamID: Int64] = [:]
        let deadline = ContinuousClock.now + .seconds(300)
        for try await event in store.subscribe(from: 1, pageSize: 7) {
            #expect(event.position == expected, "position \(event.position) after \(expected - 1)")
            #expect(event.streamVersion == (versions[event.stream] ?? 0) + 1, "\(event.stream) version \(event.streamVersion)")
            versions[event.stream] = event.streamVersion
            expected = event.position + 1
            if event.position == total || ContinuousClock.now > deadline { break }
        }
        for process in processes { await process.waitUntilExit() }
        for process in processes {
            #expect(process.terminationStatus == 0, "\(CLIProcess.read(process.stderr))")
        }
        #expect(expected == total + 1, "the reader saw \(expected - 1) of \(total) events")
        #expect(try await store.lastPosition() == total)
        await store.dropAndClose()
    }

    /// Two stores on one database (two connection pools, as two processes have) race for the
    /// same stream with exact expected versions: each round exactly one wins, and the loser is
    /// told the actual version.
    @Test func writersOnTwoConnectionsConflictAsExpected() async throws {
        let location = try TestDatabase.freshLocation()
        let first = try await TestDatabase.open(location)
        let second = try await TestDatabase.open(location)
        for round in Int64(0)..<20 {
            let expected: ExpectedVersion = round == 0 ? .noStream : .exactly(round)
            async let a = Self.outcome { try await first.append(to: "Race-1", expectedVersion: expected, [Self.event("a\(round)")]) }
            async let b = Self.outcome { try await second.append(to: "Race-1", expectedVersion: expected, [Self.event("b\(round)")]) }
            let outcomes = await [a, b]
            let wins = outcomes.filter { if case .success = $0 { true } else { false } }
            #expect(wins.count == 1, "round \(round): \(outcomes)")
            for case .failure(let error) in outcomes {
                guard case EventStoreError.wrongExpectedVersion(stream: "Race-1", expected: _, actual: round + 1)? = error as? EventStoreError else {
                    Issue.record("round \(round): \(error)")
                    continue
                }
            }
        }
        #expect(try await first.streamVersion("Race-1") == 20)
        await second.close()
        await first.dropAndClose()
    }

    static func outcome(_ body: () async throws -> AppendResult) async -> Result<AppendResult, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// The same idempotency key sent through two stores at once is recorded once; both callers
    /// get the same positions, one of them marked as a duplicate.
    @Test func anIdempotencyKeyRecordsOnceAcrossConnections() async throws {
        let location = try TestDatabase.freshLocation()
        let first = try await TestDatabase.open(location)
        let second = try await TestDatabase.open(location)
        for _ in 0..<10 {
            let key = UUID()
            let batch = AppendBatch([StreamAppend(stream: StreamID("Keyed-\(key)"), events: [Self.event("x"), Self.event("y")])], idempotencyKey: key)
            async let a = first.append(batch)
            async let b = second.append(batch)
            let (ra, rb) = try await (a, b)
            #expect(ra.firstPosition == rb.firstPosition && ra.lastPosition == rb.lastPosition)
            #expect([ra.isDuplicate, rb.isDuplicate].filter { $0 }.count == 1)
            #expect(try await first.streamVersion(StreamID("Keyed-\(key)")) == 2)
        }
        await second.close()
        await first.dropAndClose()
    }

    /// A multi-stream batch is all or nothing: one wrong expected version records none of it.
    @Test func aBatchIsAtomicAcrossStreams() async throws {
        let store = try await TestDatabase.freshStore()
        try await store.append(to: "A", [Self.event("a1")])
        let batch = AppendBatch([
            StreamAppend(stream: "B", expectedVersion: .noStream, events: [Self.event("b1")]),
            StreamAppend(stream: "A", expectedVersion: .exactly(5), events: [Self.event("a2")]),
        ])
        await #expect(throws: EventStoreError.wrongExpectedVersion(stream: "A", expected: .exactly(5), actual: 1)) { try await store.append(batch) }
        #expect(try await store.lastPosition() == 1)
        #expect(try await store.streamVersion("B") == 0)
        await store.dropAndClose()
    }

    /// A subscription keeps following other writers after its listening connection is cut.
    @Test func aSubscriptionSurvivesADroppedConnection() async throws {
        let location = try TestDatabase.freshLocation()
        let reader = try await TestDatabase.open(location)
        let writer = try await TestDatabase.open(location)
        let seen = Mutex<[Int64]>([])
        let follower = Task {
            for try await event in reader.subscribe(from: 1) {
                seen.withLock { $0.append(event.position) }
            }
        }
        defer { follower.cancel() }
        try await writer.append(to: "S", [Self.event("before")])
        try await Self.waitUntil { seen.withLock { $0 } == [1] }
        // Cut every listening connection of the reader's schema.
        let cut = try await writer.client.query(PostgresQuery(unsafeSQL: """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE application_name = 'chronicle' AND query LIKE 'LISTEN%\(location.schema)%'
            """)).collect().first?.decode(Int64.self)
        #expect((cut ?? 0) >= 1, "no listening connection was found to cut")
        for index in 0..<5 { try await writer.append(to: "S", [Self.event("after \(index)")]) }
        try await Self.waitUntil { seen.withLock { $0 } == [1, 2, 3, 4, 5, 6] }
        follower.cancel()
        _ = try? await follower.value
        await writer.close()
        await reader.dropAndClose()
    }

    /// Waits (as a hang guard, not a timing check) until `condition` holds.
    static func waitUntil(_ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("the condition never held")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test func aReadOnlyStoreRefusesAppendsAndNeedsItsTables() async throws {
        let location = try TestDatabase.freshLocation()
        // Missing tables are not created for a reader.
        let error = await #expect(throws: EventStoreError.self) {
            _ = try await TestDatabase.open(location, readOnly: true)
        }
        if case .notAStore(let path, let reason)? = error {
            #expect(path == location.description)
            #expect(reason.contains("no Chronicle tables"), "\(reason)")
        } else {
            Issue.record("expected notAStore, got \(String(describing: error))")
        }
        let writer = try await TestDatabase.open(location)
        try await writer.append(to: "R", [Self.event("one")])
        let reader = try await TestDatabase.open(location, readOnly: true)
        #expect(try await reader.readAll(from: 1, direction: .forward, limit: 10).count == 1)
        await #expect(throws: EventStoreError.self) { try await reader.append(to: "R", [Self.event("two")]) }
        await reader.close()
        await writer.dropAndClose()
    }

    @Test func tablesOfAnotherFormatAreRefused() async throws {
        let store = try await TestDatabase.freshStore()
        try await store.client.query(PostgresQuery(unsafeSQL: "UPDATE \(store.tables.store) SET value = '99' WHERE key = 'format'"))
        let error = await #expect(throws: EventStoreError.self) { _ = try await TestDatabase.open(store.location) }
        if case .notAStore(_, let reason)? = error {
            #expect(reason.contains("format 99"), "\(reason)")
        } else {
            Issue.record("expected notAStore, got \(String(describing: error))")
        }
        await store.dropAndClose()
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        // A port nobody listens on: bound, then closed.
        let location = PostgresLocation(host: "127.0.0.1", port: 9, user: "nobody", database: "none", tls: .disable)
        let error = await #expect(throws: EventStoreError.self) {
            _ = try await PostgresEventStore.open(location, options: TestDatabase.options())
        }
        if case .io(_, let path, _, let message)? = error {
            #expect(path == "postgres://nobody@127.0.0.1:9/none?sslmode=disable")
            #expect(!message.isEmpty)
        } else {
            Issue.record("expected an I/O error, got \(String(describing: error))")
        }
    }

    @Test func textPostgreSQLCannotHoldIsRefusedBeforeAnythingIsSent() async throws {
        let store = try await TestDatabase.freshStore()
        await #expect(throws: EventStoreError.self) { try await store.append(to: "N\0ul", [Self.event("x")]) }
        var event = Self.event("x")
        event.metadata = ["k": "a\0b"]
        await #expect(throws: EventStoreError.self) { try await store.append(to: "N", [event]) }
        #expect(try await store.lastPosition() == 0)
        await store.dropAndClose()
    }
}

import Chronicle
import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// An ``EventStore`` in a PostgreSQL database: the same guarantees as the flat-file store, for
/// several application servers writing one log, read sides on other machines, and a managed
/// database's replicas and point-in-time recovery.
///
/// **Positions without gaps.** Appends are serialised: each takes a transaction-scoped advisory
/// lock on the store before it reads the log's last position, and holds it until its commit. So
/// batches commit in the order of their positions, and a reader that sees position *n* has
/// already been able to see every position before it: no catch-up reader skips an event that
/// commits late (the sequence-gap problem of identity columns). The cost is one commit at a time
/// per store; within a process, appends that wait for the lock share the next transaction
/// (group commit), each with its own outcome.
///
/// **Durability.** An append returns once PostgreSQL has committed its transaction (with the
/// server's default `synchronous_commit = on`, after its WAL is flushed). A connection lost while
/// `COMMIT` is in flight leaves the outcome unknown to the caller, as with any database: the append
/// throws, and may have been recorded. Retrying with the same idempotency key (as commands do)
/// records it once.
///
/// **Other processes.** Any number of processes may open the same store and write; appends
/// notify the others through `LISTEN`/`NOTIFY`, so subscriptions follow every writer. A
/// subscription's listener reconnects when its connection drops, and then re-reads the log's end.
///
/// **Closing.** A store runs its connection pool and its listener in tasks of its own: call
/// ``close()`` when done with it.
///
/// **Text.** PostgreSQL's `text` cannot hold the NUL character: a stream name, type, actor or
/// metadata entry containing one is refused as an invalid batch.
public final class PostgresEventStore: EventStore {
    /// Where the store is.
    public let location: PostgresLocation
    /// Whether appends are refused.
    public let isReadOnly: Bool
    let tables: PostgresTables
    let client: PostgresClient
    let logger: Logger
    private let clock: any WallClock
    private let notifier: CommitNotifier
    private let running: Task<Void, Never>
    private let listening = Mutex<Task<Void, Never>?>(nil)
    private let closed = Atomic(false)
    private let queue = Mutex(AppendQueue())

    /// Connects to the database and opens the store in `location`'s schema, creating its tables
    /// when they are missing (unless the options say otherwise).
    /// - Throws: ``EventStoreError/io(operation:path:errno:message:)`` when the server cannot
    ///   be reached within the options' timeout or refuses the connection;
    ///   ``EventStoreError/notAStore(path:reason:)`` when the tables are missing (and may not be
    ///   created) or are of another format.
    public static func open(_ location: PostgresLocation, options: PostgresStoreOptions = PostgresStoreOptions()) async throws -> PostgresEventStore {
        let store = PostgresEventStore(location: location, options: options)
        do {
            let head = try await store.withTimeout(options.connectTimeout, operation: "connect") {
                // One connection of its own first: the pool retries a server that refuses or
                // rejects it until the timeout, where this says at once why.
                try await store.probe()
                return try await store.prepareTables(create: options.createIfMissing && !options.readOnly)
            }
            store.notifier.publish(head: head)
            store.startListening()
            return store
        } catch {
            await store.close()
            throw error
        }
    }

    /// Opens the store a URL names (see ``PostgresLocation``).
    public static func open(url: String, options: PostgresStoreOptions = PostgresStoreOptions()) async throws -> PostgresEventStore {
        try await open(try PostgresLocation(url: url), options: options)
    }

    private init(location: PostgresLocation, options: PostgresStoreOptions) {
        self.location = location
        self.isReadOnly = options.readOnly
        self.tables = PostgresTables(schema: location.schema)
        self.logger = options.logger
        self.clock = options.clock
        self.notifier = CommitNotifier(head: 0)
        var configuration: PostgresClient.Configuration
        if let socket = location.socketFolder {
            configuration = PostgresClient.Configuration(
                unixSocketPath: socket + "/.s.PGSQL.\(location.port)", username: location.user, password: location.password, database: location.database)
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(.makeClientConfiguration())
            case .require: tls = .require(.makeClientConfiguration())
            }
            configuration = PostgresClient.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.user, password: location.password,
                database: location.database, tls: tls)
        }
        configuration.options.maximumConnections = max(1, options.maximumConnections) + 1
        configuration.options.connectTimeout = options.connectTimeout
        configuration.options.additionalStartupParameters = [("application_name", "chronicle")]
        let client = PostgresClient(configuration: configuration, backgroundLogger: options.logger)
        self.client = client
        self.running = Task { await client.run() }
    }

    /// Stops listening and closes the connections. Appends in flight finish or fail first.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let listener = listening.withLock { $0 }
        listener?.cancel()
        await listener?.value
        notifier.wakeAll()
        running.cancel()
        await running.value
    }

    /// Connects once, outside the pool, and closes the connection.
    private func probe() async throws {
        let configuration: PostgresConnection.Configuration
        if let socket = location.socketFolder {
            configuration = PostgresConnection.Configuration(
                unixSocketPath: socket + "/.s.PGSQL.\(location.port)", username: location.user, password: location.password, database: location.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = PostgresConnection.Configuration(
                host: location.host ?? "localhost", port: location.port, username: location.user, password: location.password,
                database: location.database, tls: tls)
        }
        try await run("connect") {
            let connection = try await PostgresConnection.connect(
                on: PostgresClient.defaultEventLoopGroup.any(), configuration: configuration, id: 0, logger: logger).get()
            try await connection.close()
        }
    }

    // MARK: Tables

    /// Checks the tables (creating them when allowed) and returns the log's last position.
    private func prepareTables(create: Bool) async throws -> Int64 {
        if let format = try await storedFormat() {
            guard format == PostgresTables.format else {
                throw EventStoreError.notAStore(
                    path: location.description, reason: "the tables are of format \(format); this version reads format \(PostgresTables.format)")
            }
        } else {
            guard create else {
                throw EventStoreError.notAStore(
                    path: location.description,
                    reason: "schema '\(location.schema)' has no Chronicle tables (open the store once for writing to create them)")
            }
            try await createTables()
        }
        return try await lastPosition()
    }

    /// The `format` row, or `nil` when the store's tables are not there.
    private func storedFormat() async throws -> String? {
        let exists = try await run("read the store's format") {
            try await self.client.query("SELECT to_regclass(\(self.tables.store)) IS NOT NULL", logger: self.logger).collect().first?.decode(Bool.self) ?? false
        }
        guard exists else { return nil }
        return try await run("read the store's format") {
            let sql = "SELECT value FROM \(self.tables.store) WHERE key = 'format'"
            guard let row = try await self.client.query(PostgresQuery(unsafeSQL: sql), logger: self.logger).collect().first else {
                throw EventStoreError.notAStore(path: self.location.description, reason: "the store table has no format row")
            }
            return try row.decode(String.self)
        }
    }

    private func createTables() async throws {
        try await run("create the store's tables") {
            try await self.client.withTransaction(logger: self.logger) { connection in
                // Two processes creating the same store at once: the second waits, then finds the tables.
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(self.tables.lockName)))", logger: self.logger)
                let exists = try await connection.query("SELECT to_regclass(\(self.tables.store)) IS NOT NULL", logger: self.logger)
                    .collect().first?.decode(Bool.self) ?? false
                guard !exists else { return }
                for statement in self.tables.creation {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
            }
        }
    }

    // MARK: Appending

    public func append(_ batch: AppendBatch) async throws -> AppendResult {
        guard !isReadOnly else { throw EventStoreError.notWritable("\(location) was opened read-only") }
        guard !closed.load(ordering: .acquiring) else { throw EventStoreError.notWritable("\(location): the store is closed") }
        // The batch's shape first, so that a malformed batch never reaches the database.
        try batch.checkShape()
        try Self.checkText(of: batch)
        let rows = try batch.appends.flatMap { append in try append.events.map { try EventRow(append.stream, $0) } }
        let now = clock.now().nanosecondsSince1970
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AppendResult, any Error>) in
            let pending = PendingAppend(batch: batch, rows: rows, now: now, continuation: continuation)
            let startDraining = queue.withLock { queue -> Bool in
                queue.pending.append(pending)
                defer { queue.draining = true }
                return !queue.draining
            }
            if startDraining { Task { await self.drain() } }
        }
    }

    /// An append waiting for its transaction.
    private struct PendingAppend: Sendable {
        var batch: AppendBatch
        var rows: [EventRow]
        var now: Int64
        var continuation: CheckedContinuation<AppendResult, any Error>
    }

    /// Appends waiting, and whether a task is writing them.
    private struct AppendQueue: Sendable {
        var pending: [PendingAppend] = []
        var draining = false
    }

    /// The most events one transaction takes from the queue (at least one append).
    private static let eventsPerTransaction = 10_000

    /// Group commit: writes whatever appends are waiting in one transaction, each checked
    /// against the ones before it, until none wait. Appends made meanwhile wait for the next
    /// transaction; so concurrent appends of this process share commits, where each would
    /// otherwise wait for the store's lock and its own commit.
    private func drain() async {
        while true {
            let group = queue.withLock { queue -> [PendingAppend] in
                guard !queue.pending.isEmpty else {
                    queue.draining = false
                    return []
                }
                var taken = 0, events = 0
                while taken < queue.pending.count, taken == 0 || events + queue.pending[taken].rows.count <= Self.eventsPerTransaction {
                    events += queue.pending[taken].rows.count
                    taken += 1
                }
                defer { queue.pending.removeFirst(taken) }
                return Array(queue.pending.prefix(taken))
            }
            guard !group.isEmpty else { return }
            do {
                let outcomes = try await run("append") {
                    try await self.client.withTransaction(logger: self.logger) { connection in
                        try await self.append(group, on: connection)
                    }
                }
                let head = outcomes.compactMap { try? $0.get().lastPosition }.max()
                if let head { notifier.publish(head: head) }
                for (pending, outcome) in zip(group, outcomes) { pending.continuation.resume(with: outcome) }
            } catch {
                for pending in group { pending.continuation.resume(throwing: error) }
            }
        }
    }

    /// What one event's row holds beside its position, stream version and time.
    private struct EventRow: Sendable {
        var id: UUID
        var stream: String
        var type: String
        var schemaVersion: Int32
        var correlationID: UUID?
        var causationID: UUID?
        var actor: String?
        var metadata: String
        var payload: ByteBuffer

        init(_ stream: StreamID, _ event: ProposedEvent) throws {
            id = event.id
            self.stream = stream.name
            type = event.type
            schemaVersion = event.schemaVersion
            correlationID = event.correlationID
            causationID = event.causationID
            actor = event.actor
            metadata = String(decoding: try ChronicleJSON.encode(event.metadata), as: UTF8.self)
            payload = ByteBuffer(bytes: event.payload)
        }
    }

    /// A row to insert, with its place in the log.
    private struct PlacedRow {
        var row: EventRow
        var position: Int64
        var version: Int64
        var time: Int64
    }

    /// Writes a group of appends in the open transaction: each is checked (idempotency key,
    /// expected versions) against the log and the group's earlier appends, and gets its outcome;
    /// the accepted ones are inserted together.
    private func append(_ group: [PendingAppend], on connection: PostgresConnection) async throws -> [Result<AppendResult, any Error>] {
        // Serialises appends to this store: held to the commit, so positions commit in order.
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(tables.lockName)))", logger: logger)
        var originals: [UUID: AppendResult] = [:]
        let keys = Array(Set(group.compactMap(\.batch.idempotencyKey)))
        if !keys.isEmpty {
            var binds = PostgresBindings()
            binds.append(keys)
            let found = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT idempotency_key FROM \(tables.batches) WHERE idempotency_key = ANY($1)", binds: binds), logger: logger)
            var recorded: [UUID] = []
            for try await key in found.decode(UUID.self) { recorded.append(key) }
            for key in recorded { originals[key] = try await result(forKey: key, on: connection) }
        }
        let names = Array(Set(group.flatMap { $0.batch.appends.map(\.stream.name) }))
        var versions: [String: Int64] = [:]
        let current = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT stream, version FROM \(tables.streams) WHERE stream = ANY($1)", binds: try Self.binds(names)), logger: logger)
        for try await (stream, version) in current.decode((String, Int64).self) { versions[stream] = version }
        let head = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT position, recorded_at_ns FROM \(tables.events) ORDER BY position DESC LIMIT 1"), logger: logger)
            .collect().first?.decode((Int64, Int64).self)
        var nextPosition = (head?.0 ?? 0) + 1
        var lastTime = head?.1 ?? .min
        var outcomes: [Result<AppendResult, any Error>] = []
        var placed: [PlacedRow] = []
        var changedStreams: Set<String> = []
        var newKeys: [(UUID, AppendResult)] = []
        for pending in group {
            let batch = pending.batch
            if let key = batch.idempotencyKey, var original = originals[key] {
                original.isDuplicate = true
                outcomes.append(.success(original))
                continue
            }
            let firsts: [Int64]
            do {
                firsts = try batch.firstVersions { versions[$0.name] ?? 0 }
            } catch {
                outcomes.append(.failure(error))
                continue
            }
            let time = max(pending.now, lastTime)
            let firstPosition = nextPosition
            var streamVersions: [StreamID: Int64] = [:]
            var index = 0
            for (append, first) in zip(batch.appends, firsts) {
                for offset in 0..<append.events.count {
                    placed.append(PlacedRow(row: pending.rows[index], position: nextPosition, version: first + Int64(offset), time: time))
                    index += 1
                    nextPosition += 1
                }
                let last = first + Int64(append.events.count) - 1
                streamVersions[append.stream] = last
                versions[append.stream.name] = last
                changedStreams.insert(append.stream.name)
            }
            lastTime = time
            let result = AppendResult(firstPosition: firstPosition, lastPosition: nextPosition - 1, streamVersions: streamVersions, recordedAtNanoseconds: time)
            if let key = batch.idempotencyKey {
                originals[key] = result
                newKeys.append((key, result))
            }
            outcomes.append(.success(result))
        }
        guard !placed.isEmpty else { return outcomes }
        // At most 1,000 rows per statement: 12,000 parameters, well under PostgreSQL's 65,535.
        var start = 0
        while start < placed.count {
            let end = min(placed.count, start + 1_000)
            var binds = PostgresBindings(capacity: (end - start) * 12)
            var values: [String] = []
            for index in start..<end {
                let item = placed[index], row = item.row
                let base = (index - start) * 12
                values.append("(" + (1...12).map { column in
                    column == 11 ? "$\(base + column)::json" : "$\(base + column)"
                }.joined(separator: ",") + ")")
                binds.append(item.position)
                binds.append(row.id)
                binds.append(row.stream)
                binds.append(item.version)
                binds.append(row.type)
                binds.append(row.schemaVersion)
                binds.append(item.time)
                binds.append(row.correlationID)
                binds.append(row.causationID)
                binds.append(row.actor)
                binds.append(row.metadata)
                binds.append(row.payload)
            }
            let sql = "INSERT INTO \(tables.events) (position, id, stream, stream_version, type, schema_version, recorded_at_ns, correlation_id, causation_id, actor, metadata, payload) VALUES "
                + values.joined(separator: ",")
            try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            start = end
        }
        let changed = changedStreams.sorted()
        var streamBinds = PostgresBindings()
        streamBinds.append(changed)
        streamBinds.append(changed.map { versions[$0] ?? 0 })
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(tables.streams) (stream, version) SELECT * FROM unnest($1::text[], $2::bigint[])
            ON CONFLICT (stream) DO UPDATE SET version = excluded.version
            """, binds: streamBinds), logger: logger)
        if !newKeys.isEmpty {
            var keyBinds = PostgresBindings()
            keyBinds.append(newKeys.map(\.0))
            keyBinds.append(newKeys.map(\.1.firstPosition))
            keyBinds.append(newKeys.map(\.1.lastPosition))
            keyBinds.append(newKeys.map(\.1.recordedAtNanoseconds))
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(tables.batches) (idempotency_key, first_position, last_position, recorded_at_ns)
                SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[])
                """, binds: keyBinds), logger: logger)
        }
        // Delivered at commit, to every process that listens.
        try await connection.query("SELECT pg_notify(\(tables.channel), \(String(nextPosition - 1)))", logger: logger)
        return outcomes
    }

    private static func binds(_ names: [String]) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(names)
        return binds
    }

    /// Refuses text PostgreSQL cannot store, before anything is sent.
    private static func checkText(of batch: AppendBatch) throws {
        func check(_ text: String?, _ what: String) throws {
            if let text, text.utf8.contains(0) {
                throw EventStoreError.invalidBatch("\(what) contains a NUL character, which PostgreSQL text cannot hold")
            }
        }
        for append in batch.appends {
            try check(append.stream.name, "the stream name '\(append.stream.name.replacingOccurrences(of: "\0", with: "\\0"))'")
            for event in append.events {
                try check(event.type, "an event type")
                try check(event.actor, "an actor")
                for (key, value) in event.metadata {
                    try check(key, "a metadata key")
                    try check(value, "a metadata value")
                }
            }
        }
    }

    // MARK: Reading

    public func readStream(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let sql: String
        switch direction {
        case .forward:
            sql = "SELECT \(PostgresTables.eventColumns) FROM \(tables.events) WHERE stream = $1 AND stream_version >= $2 ORDER BY stream_version LIMIT $3"
        case .backward:
            guard version >= 1 else { return [] }
            sql = "SELECT \(PostgresTables.eventColumns) FROM \(tables.events) WHERE stream = $1 AND stream_version <= $2 ORDER BY stream_version DESC LIMIT $3"
        }
        var binds = PostgresBindings()
        binds.append(stream.name)
        binds.append(version)
        binds.append(Int64(limit))
        return try await events(PostgresQuery(unsafeSQL: sql, binds: binds), operation: "read a stream")
    }

    public func readAll(from position: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let sql: String
        switch direction {
        case .forward:
            sql = "SELECT \(PostgresTables.eventColumns) FROM \(tables.events) WHERE position >= $1 ORDER BY position LIMIT $2"
        case .backward:
            guard position >= 1 else { return [] }
            sql = "SELECT \(PostgresTables.eventColumns) FROM \(tables.events) WHERE position <= $1 ORDER BY position DESC LIMIT $2"
        }
        var binds = PostgresBindings()
        binds.append(position)
        binds.append(Int64(limit))
        return try await events(PostgresQuery(unsafeSQL: sql, binds: binds), operation: "read the log")
    }

    private func events(_ query: PostgresQuery, operation: String) async throws -> [RecordedEvent] {
        try await run(operation) {
            try await Self.shielded { [client, logger] in try await Self.events(query, client: client, logger: logger) }
        }
    }

    /// Runs `body` to its end even when the calling task is cancelled meanwhile, and returns its
    /// result: a read cancelled midway could leave the caller waiting on the connection pool,
    /// where a read takes milliseconds. The caller sees the cancellation at its next step.
    private static func shielded<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await Task { try await body() }.value
    }

    private static func events(_ query: PostgresQuery, client: PostgresClient, logger: Logger) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        let rows = try await client.query(query, logger: logger)
        for try await row in rows {
            let (position, id, stream, version, type, schemaVersion, time, correlation, causation, actor, metadata, payload) =
                try row.decode((Int64, UUID, String, Int64, String, Int32, Int64, UUID?, UUID?, String?, String, ByteBuffer).self)
            events.append(RecordedEvent(
                id: id, type: type, schemaVersion: schemaVersion, stream: StreamID(stream), streamVersion: version, position: position,
                recordedAtNanoseconds: time, correlationID: correlation, causationID: causation, actor: actor,
                metadata: try ChronicleJSON.decode([String: String].self, from: Array(metadata.utf8)),
                payload: Array(payload.readableBytesView)))
        }
        return events
    }

    public func lastPosition() async throws -> Int64 {
        try await run("read the log's end") {
            let sql = "SELECT position FROM \(self.tables.events) ORDER BY position DESC LIMIT 1"
            return try await Self.shielded { [client, logger] in
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().first?.decode(Int64.self) ?? 0
            }
        }
    }

    public func streamVersion(_ stream: StreamID) async throws -> Int64 {
        try await run("read a stream's version") {
            var binds = PostgresBindings()
            binds.append(stream.name)
            let sql = "SELECT version FROM \(self.tables.streams) WHERE stream = $1"
            return try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger).collect().first?.decode(Int64.self) ?? 0
        }
    }

    public func lastPosition(atOrBefore date: Date) async throws -> Int64 {
        try await run("find a position by date") {
            var binds = PostgresBindings()
            binds.append(date.nanosecondsSince1970)
            // Times never decrease along the log: the index on (time, position) finds it directly.
            let sql = "SELECT position FROM \(self.tables.events) WHERE recorded_at_ns <= $1 ORDER BY recorded_at_ns DESC, position DESC LIMIT 1"
            return try await self.client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger).collect().first?.decode(Int64.self) ?? 0
        }
    }

    public func result(forIdempotencyKey key: UUID) async throws -> AppendResult? {
        try await run("look up an idempotency key") {
            try await self.client.withConnection { connection in try await self.result(forKey: key, on: connection) }
        }
    }

    private func result(forKey key: UUID, on connection: PostgresConnection) async throws -> AppendResult? {
        let found = try await connection.query(
            "SELECT first_position, last_position, recorded_at_ns FROM \(unescaped: tables.batches) WHERE idempotency_key = \(key)", logger: logger)
            .collect().first?.decode((Int64, Int64, Int64).self)
        guard let (first, last, time) = found else { return nil }
        var versions: [StreamID: Int64] = [:]
        let rows = try await connection.query(
            "SELECT stream, max(stream_version) FROM \(unescaped: tables.events) WHERE position BETWEEN \(first) AND \(last) GROUP BY stream", logger: logger)
        for try await (stream, version) in rows.decode((String, Int64).self) { versions[StreamID(stream)] = version }
        return AppendResult(firstPosition: first, lastPosition: last, streamVersions: versions, recordedAtNanoseconds: time, isDuplicate: true)
    }

    public func waitForEvents(after position: Int64) async throws {
        // Notifications wake a waiter at once; a second a time, the log's end is read as well,
        // so that a notification lost with a dropped connection never leaves a waiter behind.
        while !closed.load(ordering: .acquiring), !Task.isCancelled {
            let notifier = self.notifier
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await notifier.wait(after: position) }
                group.addTask { try? await Task.sleep(for: .seconds(1)) }
                await group.next()
                group.cancelAll()
            }
            if notifier.head > position { return }
            if let head = try? await lastPosition(), head > position {
                notifier.publish(head: head)
                return
            }
        }
    }

    // MARK: Following other writers

    /// Listens for other processes' appends on a connection of its own; reconnects when it drops,
    /// and re-reads the log's end each time it starts listening, so that no append is missed.
    private func startListening() {
        let task = Task { [weak self] in
            var delay = Duration.milliseconds(50)
            while !Task.isCancelled {
                guard let self else { return }
                do {
                    try await self.client.withConnection { connection in
                        try await connection.listen(on: self.tables.channel) { notifications in
                            self.notifier.publish(head: try await self.lastPosition())
                            delay = .milliseconds(50)
                            for try await notification in notifications {
                                if let head = Int64(notification.payload) { self.notifier.publish(head: head) }
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    self.logger.debug("chronicle: listening for appends failed, reconnecting", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
        listening.withLock { $0 = task }
    }

    // MARK: Errors

    /// Runs a database operation, translating its errors into ``EventStoreError``.
    @discardableResult
    func run<Result: Sendable>(_ operation: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            throw translate(error, operation: operation)
        }
    }

    /// Runs `body`, giving up after `timeout` with an I/O error.
    private func withTimeout<Result: Sendable>(_ timeout: Duration, operation: String, _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else {
                throw EventStoreError.io(operation: operation, path: location.description, errno: ETIMEDOUT,
                                         message: "no answer from the PostgreSQL server within \(timeout)")
            }
            return result
        }
    }

    func translate(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let error as EventStoreError:
            return error
        case is CancellationError:
            return error
        case _ where Task.isCancelled:
            // The pool refuses a cancelled task's request with an error of its own.
            return CancellationError()
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError { return translate(inner, operation: operation) }
            if let commit = error.commitError { return translate(commit, operation: operation + " (commit; the outcome is unknown)") }
            return EventStoreError.io(operation: operation, path: location.description, errno: 0, message: String(reflecting: error))
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                let message = error.serverInfo?[.message] ?? "no message"
                if state == "42P01" || state == "3F000" {
                    return EventStoreError.notAStore(path: location.description, reason: "the store's tables are missing (\(message))")
                }
                return EventStoreError.io(operation: operation, path: location.description, errno: 0, message: "PostgreSQL error \(state): \(message)")
            }
            if let underlying = error.underlying {
                if let connection = underlying as? NIOConnectionError, let io = connection.connectionErrors.lazy.compactMap({ $0.error as? IOError }).first {
                    return EventStoreError.io(operation: operation, path: location.description, errno: io.errnoCode, message: String(cString: strerror(io.errnoCode)))
                }
                if let io = underlying as? IOError {
                    return EventStoreError.io(operation: operation, path: location.description, errno: io.errnoCode, message: String(cString: strerror(io.errnoCode)))
                }
                return EventStoreError.io(operation: operation, path: location.description, errno: 0, message: "\(error.code): \(underlying)")
            }
            return EventStoreError.io(operation: operation, path: location.description, errno: 0, message: "\(error.code)")
        default:
            return EventStoreError.io(operation: operation, path: location.description, errno: 0, message: String(reflecting: error))
        }
    }
}

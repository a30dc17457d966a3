import Foundation
import Logging
import Synchronization

/// The default ``EventStore``: an append-only log in segment files inside one folder.
///
/// **Durability.** `append` returns only after the batch's bytes were flushed with `fdatasync`.
/// Appends that arrive while a flush runs are written and flushed together by the next one
/// (group commit), so many concurrent writers share the cost of each flush.
///
/// **Concurrency.** One process at a time may open the store for writing: it holds an exclusive
/// lock on the store's folder (its pid is in `write.lock`), and a second writer fails with ``EventStoreError/locked(path:holder:)``.
/// Any number of readers, in this process or others, read concurrently. A store opened with
/// ``FlatFileStoreOptions/readOnly`` takes no lock and sees the log as of its last refresh:
/// ``lastPosition()``, ``refresh()`` and subscriptions bring it up to date.
///
/// **Recovery.** Opening verifies every record's checksum. A torn tail (the unfinished end of a
/// write cut short by a crash: bytes at the end of the last segment after which no valid record
/// follows) is ignored by a reader; a writer copies it to `recovered/` in the store's folder and
/// then cuts it off, so the log can go on. Damage anywhere else makes the open fail with
/// ``EventStoreError/corrupted(file:offset:reason:)``, naming the file and byte offset, and
/// nothing is skipped. A damaged *final* record cannot be told from an unfinished write; it is
/// treated as a torn tail, and its bytes are in `recovered/`.
///
/// Call ``close()`` when done: it finishes queued appends and stops the writer thread.
public final class FlatFileEventStore: EventStore {
    /// The store's folder.
    public let path: String
    /// Whether the store was opened read-only.
    public let isReadOnly: Bool
    /// The torn tail found when the store opened; a writable store has cut it off.
    public let tornTailAtOpen: TornTail?
    /// How many records the index took from the saved index (`STORE/index`) when the store
    /// opened, their checksums checked but their contents not decoded again; 0 when the index was
    /// rebuilt from every record (no saved index, or one that did not match the log).
    public let savedRecordsAtOpen: Int

    private let layout: StoreLayout
    private let index: Locked<LogIndex>
    private let notifier: CommitNotifier
    private let committer: GroupCommitter?
    private let lockFile: LogFile?
    private let pidFile: LogFile?
    private let duplicateResult: @Sendable (Int) throws -> AppendResult
    private let refreshing = Mutex(())

    /// Opens the store in `path`, creating it when missing unless the options say otherwise.
    /// - Throws: ``EventStoreError/locked(path:holder:)`` when another process writes to it,
    ///   ``EventStoreError/corrupted(file:offset:reason:)`` when the log is damaged,
    ///   ``EventStoreError/notAStore(path:reason:)`` when the folder is something else.
    public init(path: String, options: FlatFileStoreOptions = FlatFileStoreOptions()) throws {
        let layout = StoreLayout(root: path)
        try layout.prepare(create: options.createIfMissing && !options.readOnly)
        var lockFile: LogFile?
        var pidFile: LogFile?
        if !options.readOnly {
            // The lock is on the store folder itself: a lock file could be deleted and recreated
            // under a running writer, letting a second one in.
            let folder = try LogFile.open(layout.root, writable: false)
            var locked = try folder.tryLock()
            // A reader probing whether a writer is live holds a shared lock for an instant.
            for _ in 0..<50 where !locked {
                usleep(2_000)
                locked = try folder.tryLock()
            }
            let file = try LogFile.open(layout.lockFile, writable: true, create: true)
            guard locked else {
                let pid = (try? file.read(count: 32, at: 0)).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                throw EventStoreError.locked(path: layout.root, holder: pid.isEmpty ? "another process" : "process \(pid)")
            }
            // The pid is for messages only (the lock is the folder's flock): a full disk must not
            // stop the writer over it.
            try? file.truncate(to: 0)
            try? file.write(Array("\(ProcessInfo.processInfo.processIdentifier)\n".utf8), at: 0)
            lockFile = folder
            pidFile = file
            // A segment left half prepared by a writer that died holds space for nothing.
            layout.removeUnfinishedSegments()
            // So does a snapshot file a process that died was writing (snapshots live in the store).
            ChecksummedFile.removeAbandonedTemporaries(in: layout.root + "/snapshots")
        }
        var loaded = try LogLoader.load(layout, writable: !options.readOnly)
        var keptTornTail: String?
        let segmentSize = max(options.segmentSize, 4096)
        if !options.readOnly {
            if loaded.index.segments.isEmpty {
                loaded.index.addSegment(try layout.createSegment(1, size: segmentSize))
            } else if let torn = loaded.tornTail {
                let last = loaded.index.segments.count - 1
                let segment = loaded.index.segments[last]
                keptTornTail = try layout.salvage(torn, from: segment.file)
                if torn.offset < Int64(Segment.headerLength) {
                    // The segment's creation was cut short: nothing in it was ever acknowledged.
                    loaded.index.segments[last] = try layout.createSegment(segment.number, size: segmentSize)
                } else {
                    try layout.cut(torn, in: segment.file)
                }
            }
        }
        var checkpointFile: LogFile?
        if !options.readOnly, let last = loaded.index.segments.last {
            let file = try LogFile.open(layout.checkpointFile, writable: true, create: true)
            let checkpoint = CommitCheckpoint(segment: last.number, endOffset: loaded.index.endOffset, lastPosition: loaded.index.lastPosition)
            try file.write(checkpoint.bytes, at: 0)
            try file.sync()
            try LogFile.syncDirectory(layout.root)
            checkpointFile = file
        }
        self.path = layout.root
        self.layout = layout
        self.pidFile = pidFile
        self.isReadOnly = options.readOnly
        self.tornTailAtOpen = loaded.tornTail
        self.savedRecordsAtOpen = loaded.savedRecords
        self.lockFile = lockFile
        let index = Locked(loaded.index)
        self.index = index
        self.notifier = CommitNotifier(head: loaded.index.lastPosition)
        let duplicateResult: @Sendable (Int) throws -> AppendResult = { [layout] record in
            let (location, segments) = index.withLock { ($0.records[record], $0.segments) }
            var result = try FlatFileEventStore.readRecords([location], segments: segments, layout: layout)[0].result
            result.isDuplicate = true
            return result
        }
        self.duplicateResult = duplicateResult
        self.committer = options.readOnly ? nil : GroupCommitter(
            index: index, notifier: notifier, layout: layout, segmentSize: segmentSize, clock: options.clock,
            checkpoint: checkpointFile, observability: options.observability,
            committedResult: duplicateResult)
        var metadata: Logger.Metadata = [
            "chronicle.store": "\(layout.root)", "chronicle.last_position": "\(loaded.index.lastPosition)",
            "chronicle.segments": "\(loaded.index.segments.count)", "chronicle.read_only": "\(options.readOnly)",
        ]
        if let torn = loaded.tornTail {
            metadata["chronicle.torn_tail_bytes"] = "\(torn.length)"
            if !options.readOnly {
                let kept = keptTornTail ?? "nothing: the tail held no bytes"
                options.observability.logger.warning("torn tail cut", metadata: [
                    "chronicle.store": "\(layout.root)", "chronicle.file": "\(torn.file)", "chronicle.offset": "\(torn.offset)",
                    "chronicle.bytes": "\(torn.length)", "chronicle.kept": "\(kept)",
                ])
            }
        }
        options.observability.logger.info("store opened", metadata: metadata)
    }

    /// Finishes queued appends, stops the writer and releases the write lock. Appends after
    /// `close` fail; reads keep working.
    public func close() async {
        await committer?.close()
        notifier.wakeAll()
        if !isReadOnly {
            // Saved for the next open, when enough was added since the index was last saved.
            let index = index.withLock { $0 }
            if index.records.count - savedRecordsAtOpen >= SavedIndex.recordsWorthSaving {
                let layout = layout
                await BlockingIOPool.shared.run { try? SavedIndex.save(index, layout: layout) }
            }
        }
        try? pidFile?.truncate(to: 0)
        lockFile?.unlock()
    }

    public func append(_ batch: AppendBatch) async throws -> AppendResult {
        guard let committer else { throw EventStoreError.notWritable("the store was opened read-only") }
        return try await committer.append(batch)
    }

    /// Opens the store like ``init(path:options:)``, on the runtime's I/O threads: opening reads
    /// and checks the whole log, which would otherwise block the calling task's thread.
    public static func open(path: String, options: FlatFileStoreOptions = FlatFileStoreOptions()) async throws -> FlatFileEventStore {
        try await BlockingIOPool.shared.run { try FlatFileEventStore(path: path, options: options) }
    }

    public func readAll(from position: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        try await BlockingIOPool.shared.run { [self] in try readAllNow(from: position, direction: direction, limit: limit) }
    }

    public func readStream(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) async throws -> [RecordedEvent] {
        try await BlockingIOPool.shared.run { [self] in try readStreamNow(stream, from: version, direction: direction, limit: limit) }
    }

    private func readStreamNow(_ stream: StreamID, from version: Int64, direction: ReadDirection, limit: Int) throws -> [RecordedEvent] {
        let (positions, segments, locations) = index.withLock { index -> ([Int64], [Segment], [RecordLocation]) in
            let all = index.streamPositions[stream] ?? []
            let positions = LogSlice.indices(count: all.count, from: version, direction: direction, limit: limit).map { all[$0] }
            var locations: [RecordLocation] = []
            for position in positions.sorted() {
                let location = index.records[index.recordIndex(containing: position)]
                if locations.last?.firstPosition != location.firstPosition { locations.append(location) }
            }
            return (positions, index.segments, locations)
        }
        guard !positions.isEmpty else { return [] }
        var byPosition: [Int64: RecordedEvent] = [:]
        for batch in try Self.readRecords(locations, segments: segments, layout: layout) {
            for event in batch.events where event.stream == stream { byPosition[event.position] = event }
        }
        return positions.compactMap { byPosition[$0] }
    }

    public func lastPosition() async throws -> Int64 {
        if isReadOnly { try await refreshOffThread() }
        return index.withLock { $0.lastPosition }
    }

    public func streamVersion(_ stream: StreamID) async throws -> Int64 {
        index.withLock { $0.versions.version(of: stream) }
    }

    public func lastPosition(atOrBefore date: Date) async throws -> Int64 {
        let limit = date.nanosecondsSince1970
        return index.withLock { index in
            let count = LogSlice.countNotAfter(limit, count: index.records.count) { index.records[$0].recordedAtNanoseconds }
            return count == 0 ? 0 : index.records[count - 1].lastPosition
        }
    }

    public func result(forIdempotencyKey key: UUID) async throws -> AppendResult? {
        guard let record = index.withLock({ $0.keys[key] }) else { return nil }
        let duplicateResult = self.duplicateResult
        return try await BlockingIOPool.shared.run { try duplicateResult(record) }
    }

    public func waitForEvents(after position: Int64) async throws {
        guard isReadOnly else { return await notifier.wait(after: position) }
        // Another process writes: poll the files.
        while !Task.isCancelled {
            try await refreshOffThread()
            if index.withLock({ $0.lastPosition }) > position { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func refreshOffThread() async throws {
        _ = try await BlockingIOPool.shared.run { [self] in try refresh() }
    }

    /// Reads what another process appended since the last refresh (read-only stores); returns
    /// whether anything new was found. A writable store is always up to date.
    @discardableResult
    public func refresh() throws -> Bool {
        guard isReadOnly else { return false }
        // One refresh at a time; the index lock is only taken to read where the log ends and to
        // add what was read, never across file reads, so queries go on meanwhile.
        return try refreshing.withLock { _ in
            // Beside a live writer, read exactly up to its commit checkpoint (see `CommitCheckpoint`).
            let committed = layout.writerIsLive() ? CommitCheckpoint.read(layout) : nil
            let before = index.withLock { $0.lastPosition }
            while true {
                let (last, endOffset) = index.withLock { ($0.segments[$0.segments.count - 1], $0.endOffset) }
                let size = try last.file.size()
                let nextExists: Bool
                if let committed {
                    guard committed.segment >= last.number else { break }
                    let end = committed.segment == last.number ? min(size, committed.endOffset) : size
                    try readNewRecords(of: last, from: endOffset, to: end, strict: true, endIsCommitted: committed.segment == last.number)
                    nextExists = committed.segment > last.number
                } else {
                    nextExists = FileManager.default.fileExists(atPath: layout.segmentPath(last.number + 1))
                    if endOffset < Int64(Segment.headerLength) { break }
                    if endOffset < size, try hasRecord(in: last.file, at: endOffset) || nextExists {
                        try readNewRecords(of: last, from: endOffset, to: size, strict: false, endIsCommitted: false)
                    }
                }
                guard nextExists else { break }
                let next = try LogFile.open(layout.segmentPath(last.number + 1), writable: false)
                guard try next.size() >= Int64(Segment.headerLength) else { break }
                index.withLock { $0.addSegment(Segment(number: last.number + 1, file: next)) }
            }
            let head = index.withLock { $0.lastPosition }
            if head > before { notifier.publish(head: head) }
            return head > before
        }
    }

    /// Reads the records of `segment` between `start` and `end` in chunks, adding each chunk's
    /// records to the index. `strict`: the records there are committed, and bad bytes among
    /// them are damage (with `endIsCommitted`, records must reach `end` exactly; otherwise the
    /// data may end at zeros, the unused part of a sealed segment). Not strict: reading stops
    /// quietly at the first bytes that are not a record (a write in progress).
    private func readNewRecords(of segment: Segment, from start: Int64, to end: Int64, strict: Bool, endIsCommitted: Bool) throws {
        let path = layout.segmentPath(segment.number)
        var offset = start
        var chunk: Int64 = 256 << 10
        while offset < end {
            let bytes = try segment.file.read(count: Int(min(chunk, end - offset)), at: offset)
            guard !bytes.isEmpty else { break }
            let atEnd = offset + Int64(bytes.count) >= end
            let base = offset
            let stop = try index.withLock { index in try LogScanner.scan(bytes, base: base, path: path, into: &index) }
            switch stop {
            case .endOfBytes:
                offset += Int64(bytes.count)
                chunk = 256 << 10
            case .incomplete(let at) where !atEnd:
                // A record crosses the chunk's end; a record larger than the chunk needs a larger one.
                if at == offset { chunk = end - offset }
                offset = at
            case .incomplete(let at):
                guard strict else { return }
                throw EventStoreError.corrupted(file: path, offset: at, reason: "committed record is cut short")
            case .zeros(let at):
                // Zeros end the data of a sealed segment; in the committed part of the last
                // one, records must run up to the checkpoint.
                guard strict, endIsCommitted else { return }
                throw EventStoreError.corrupted(file: path, offset: at, reason: "zeros before the committed end of the log")
            case .invalid(let at, let reason):
                guard strict else { return }
                throw EventStoreError.corrupted(file: path, offset: at, reason: reason)
            }
        }
    }

    /// Whether a record may start at `offset`: its length field is there and not zero.
    private func hasRecord(in file: LogFile, at offset: Int64) throws -> Bool {
        let length = try file.read(count: 4, at: offset)
        return length.count == 4 && length != [0, 0, 0, 0]
    }

    /// The committed part of each segment file, for copying a consistent prefix of the log (a
    /// read-only store refreshes first): only the last segment can still grow, and only beyond
    /// the length given here.
    public func committedSegments() throws -> CommittedLog {
        if isReadOnly { try refresh() }
        return index.withLock { index in
            let segments = index.segments.enumerated().map { offset, segment in
                let sealed = offset < index.sealedEnds.count
                return CommittedSegment(
                    path: layout.segmentPath(segment.number), fileName: Segment.fileName(segment.number),
                    length: sealed ? index.sealedEnds[offset] : index.endOffset, isSealed: sealed)
            }
            return CommittedLog(segments: segments, lastPosition: index.lastPosition)
        }
    }

    /// Figures about the log: counts, sizes, first and last position and time.
    public func statistics() async throws -> StoreStatistics {
        if isReadOnly { try await refreshOffThread() }
        let (records, streams, segments, bytes, last) = index.withLock { index in
            (index.records, index.versions.streamCount, index.segments.count, index.totalBytes, index.lastPosition)
        }
        return StoreStatistics(
            events: last, streams: streams, segments: segments, bytes: bytes, records: records.count,
            firstPosition: records.isEmpty ? nil : 1, lastPosition: records.isEmpty ? nil : last,
            firstRecordedAt: records.first.map { Date(nanosecondsSince1970: $0.recordedAtNanoseconds) },
            lastRecordedAt: records.last.map { Date(nanosecondsSince1970: $0.recordedAtNanoseconds) })
    }

    // MARK: Reading records

    private func readAllNow(from position: Int64, direction: ReadDirection, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        let (locations, segments) = index.withLock { index -> ([RecordLocation], [Segment]) in
            guard index.lastPosition > 0 else { return ([], []) }
            var locations: [RecordLocation] = []
            var covered = 0
            switch direction {
            case .forward:
                guard position <= index.lastPosition else { return ([], []) }
                var at = index.recordIndex(containing: max(position, 1))
                while at < index.records.count, covered < limit {
                    let record = index.records[at]
                    covered += Int(record.lastPosition - max(record.firstPosition, position) + 1)
                    locations.append(record)
                    at += 1
                }
            case .backward:
                guard position >= 1 else { return ([], []) }
                var at = index.recordIndex(containing: min(position, index.lastPosition))
                while at >= 0, covered < limit {
                    let record = index.records[at]
                    covered += Int(min(record.lastPosition, position) - record.firstPosition + 1)
                    locations.append(record)
                    at -= 1
                }
                locations.reverse()
            }
            return (locations, index.segments)
        }
        var events: [RecordedEvent] = []
        events.reserveCapacity(min(limit, 1 << 16))
        let batches = try Self.readRecords(locations, segments: segments, layout: layout)
        switch direction {
        case .forward:
            for batch in batches {
                for event in batch.events where event.position >= position {
                    events.append(event)
                    if events.count == limit { return events }
                }
            }
        case .backward:
            for batch in batches.reversed() {
                for event in batch.events.reversed() where event.position <= position {
                    events.append(event)
                    if events.count == limit { return events }
                }
            }
        }
        return events
    }

    /// Reads and decodes records, reading each run of adjacent records with one system call.
    private static func readRecords(_ locations: [RecordLocation], segments: [Segment], layout: StoreLayout) throws -> [RecordedBatch] {
        var batches: [RecordedBatch] = []
        batches.reserveCapacity(locations.count)
        var start = 0
        while start < locations.count {
            var end = start + 1
            var runLength = Int64(locations[start].length)
            while end < locations.count, locations[end].segment == locations[start].segment,
                  locations[end].offset == locations[end - 1].offset + Int64(locations[end - 1].length),
                  runLength < 4 << 20 {
                runLength += Int64(locations[end].length)
                end += 1
            }
            let segment = segments[Int(locations[start].segment)]
            let bytes = try segment.file.read(count: Int(runLength), at: locations[start].offset)
            try bytes.withUnsafeBytes { raw in
                var offset = 0
                for location in locations[start..<end] {
                    let path = layout.segmentPath(segment.number)
                    guard case .valid = LogRecord.checkFrame(in: raw, at: offset) else {
                        throw EventStoreError.corrupted(file: path, offset: location.offset, reason: "record changed on disk since the store opened")
                    }
                    do {
                        batches.append(try LogRecord.decodeBatch(frame: raw, at: offset))
                    } catch {
                        throw EventStoreError.corrupted(file: path, offset: location.offset, reason: "record cannot be decoded")
                    }
                    offset += Int(location.length)
                }
            }
            start = end
        }
        return batches
    }
}

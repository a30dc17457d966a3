import Chronicle
import ChronicleTesting
import Foundation
import TestSupport
import Testing

@Suite("In-memory store conformance")
struct InMemoryStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checks)
    func conformance(_ check: EventStoreConformance.Check) async throws {
        try await check.run { clock in EventStoreConformance.Subject(InMemoryEventStore(clock: clock)) }
    }
}

@Suite("Flat-file store conformance")
struct FlatFileStoreConformanceTests {
    @Test(arguments: EventStoreConformance.checks)
    func conformance(_ check: EventStoreConformance.Check) async throws {
        let folder = try TemporaryFolder()
        try await check.run { clock in
            // Small segments, so that the checks also cross segment boundaries.
            let store = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(segmentSize: 4096, clock: clock))
            return EventStoreConformance.Subject(store) { await store.close() }
        }
    }

    @Test("a reopened store reads what the live one wrote", arguments: EventStoreConformance.checks)
    func reopenedStoreReadsTheSame(_ check: EventStoreConformance.Check) async throws {
        // After each check, the log read back by a fresh read-only store must equal what the
        // live store serves.
        let folder = try TemporaryFolder()
        try await check.run { clock in
            let store = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(segmentSize: 4096, clock: clock))
            return EventStoreConformance.Subject(store) {
                await store.close()
                do {
                    let reopened = try FlatFileEventStore(path: folder.path, options: FlatFileStoreOptions(readOnly: true))
                    let original = try await store.readAll(from: 1, direction: .forward, limit: .max)
                    let again = try await reopened.readAll(from: 1, direction: .forward, limit: .max)
                    #expect(original == again)
                } catch {
                    Issue.record(error)
                }
            }
        }
    }
}

import Chronicle
@testable import ChroniclePostgres
import ChronicleTesting
import Testing

/// The PostgreSQL store passes the conformance suite every backend passes, unchanged.
@Suite("PostgreSQL store: conformance", .enabled(if: TestDatabase.enabled, TestDatabase.skipMessage))
struct PostgresConformanceTests {
    @Test(arguments: EventStoreConformance.checks)
    func conformance(_ check: EventStoreConformance.Check) async throws {
        try await check.run { clock in
            let store = try await TestDatabase.freshStore(clock: clock)
            return EventStoreConformance.Subject(store) { await store.dropAndClose() }
        }
    }
}

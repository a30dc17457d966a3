import Chronicle
@testable import ChroniclePostgres
import Foundation
import PostgresNIO
import Testing

/// The PostgreSQL server the tests use: `CHRONICLE_POSTGRES_URL` names it (`.ci/postgres-server
/// start` prints one). Without it the PostgreSQL suites are skipped, and say so; with
/// `CHRONICLE_POSTGRES_REQUIRED=1` (as `.ci/run` sets) they run and fail instead, so that CI is
/// never green without them.
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment
    static let url = environment["CHRONICLE_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let isRequired = environment["CHRONICLE_POSTGRES_REQUIRED"] == "1"
    /// Whether the suites run: a server is named, or one is required (and its absence fails).
    static let enabled = url != nil || isRequired
    static let skipMessage: Comment = "no PostgreSQL server: set CHRONICLE_POSTGRES_URL (see README, 'PostgreSQL')"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "CHRONICLE_POSTGRES_REQUIRED=1 but CHRONICLE_POSTGRES_URL names no server" }
    }

    /// The server's location with a schema of its own, so that each test has a store of its own.
    static func freshLocation() throws -> PostgresLocation {
        guard let url else { throw Missing() }
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        return try PostgresLocation(url: url).withSchema("test_\(suffix)")
    }

    /// Opens a store in a fresh schema.
    static func freshStore(clock: any WallClock = SystemWallClock()) async throws -> PostgresEventStore {
        try await open(try freshLocation(), clock: clock)
    }

    /// Opens a store with the tests' options: the connect timeout is a generous hang guard, since
    /// the suite runs beside other work on busy cores.
    static func open(_ location: PostgresLocation, clock: any WallClock = SystemWallClock(), readOnly: Bool = false) async throws -> PostgresEventStore {
        try await PostgresEventStore.open(location, options: options(clock: clock, readOnly: readOnly))
    }

    static func options(clock: any WallClock = SystemWallClock(), readOnly: Bool = false) -> PostgresStoreOptions {
        PostgresStoreOptions(clock: clock, readOnly: readOnly, connectTimeout: .seconds(300))
    }
}

extension PostgresEventStore {
    /// Removes the store's schema and everything in it, then closes the store: what tests do
    /// when they are done with one.
    func dropAndClose() async {
        _ = try? await run("drop the schema") {
            try await self.client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(self.location.schema)\" CASCADE"))
        }
        await close()
    }
}

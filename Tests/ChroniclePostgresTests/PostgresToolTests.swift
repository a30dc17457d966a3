import Chronicle
@testable import ChroniclePostgres
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// `bank` and `chronicle` on a PostgreSQL store, named by its URL.
@Suite("Tools on PostgreSQL", .enabled(if: TestDatabase.enabled, TestDatabase.skipMessage), .timeLimit(.minutes(10)))
struct PostgresToolTests {
    @Test("bank demo tells the whole story on PostgreSQL; chronicle verify, stats and cat read it; damage is named")
    func demoAndTools() async throws {
        let location = try TestDatabase.freshLocation()
        let url = location.description
        let folder = try TemporaryFolder()
        let demo = try await CLIProcess.run(["demo", "--store", url, "--quiet"], in: folder, executable: CLIProcess.executable(named: "bank"))
        #expect(demo.status == 0, "\(demo.stdout)\n\(demo.stderr)")
        #expect(demo.stdout.contains(" passed, 0 failed"), "\(demo.stdout)")
        // A second run refuses a store that is not empty.
        let again = try await CLIProcess.run(["demo", "--store", url, "--quiet"], in: folder, executable: CLIProcess.executable(named: "bank"))
        #expect(again.status != 0 && again.stderr.contains("not empty"), "\(again.stderr)")

        let store = try await TestDatabase.open(location)
        let last = try await store.lastPosition()
        let verify = try await CLIProcess.run(["verify", url], in: folder)
        #expect(verify.status == 0 && verify.stdout.contains("verified \(last) events"), "\(verify.stdout)\(verify.stderr)")
        let stats = try await CLIProcess.run(["stats", url, "--json"], in: folder)
        #expect(stats.status == 0 && stats.stdout.contains("\"events\":\(last)"), "\(stats.stdout)\(stats.stderr)")
        let cat = try await CLIProcess.run(["cat", url, "--from", "2", "--to", "4"], in: folder)
        let lines = cat.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines.first?.contains("\"position\":2") == true, "\(cat.stdout)\(cat.stderr)")
        let audit = try await CLIProcess.run(["audit", url, "--json"], in: folder)
        #expect(audit.status == 0 && audit.stdout.contains("Account.Open"), "\(audit.stderr)")

        // A hole in the positions is found and named.
        try await store.client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(store.tables.events) WHERE position = 7"))
        let damaged = try await CLIProcess.run(["verify", url], in: folder)
        #expect(damaged.status == 1 && damaged.stderr.contains("position 7"), "\(damaged.stderr)")
        await store.dropAndClose()
    }

    @Test func aURLIsNeverTakenForAFolder() async throws {
        let folder = try TemporaryFolder()
        // An unreachable server: an error about the server, and no folder named like the URL.
        let outcome = try await CLIProcess.run(["stats", "postgres://nobody@127.0.0.1:9/none"], in: folder)
        #expect(outcome.status == 1 && outcome.stderr.contains("Connection refused"), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).allSatisfy { !$0.hasPrefix("postgres") })
    }
}

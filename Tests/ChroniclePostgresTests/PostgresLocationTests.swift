import ChroniclePostgres
import Testing

/// PostgreSQL URLs: what they mean, what is refused, and that messages never show a password.
@Suite("PostgreSQL URLs")
struct PostgresLocationTests {
    @Test func aTCPURLWithEveryPart() throws {
        let location = try PostgresLocation(url: "postgres://ada:secret@db.example:6543/bank?schema=ledger&sslmode=require")
        #expect(location.host == "db.example")
        #expect(location.port == 6543)
        #expect(location.user == "ada")
        #expect(location.password == "secret")
        #expect(location.database == "bank")
        #expect(location.schema == "ledger")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://ada@db.example:6543/bank?schema=ledger&sslmode=require")
    }

    @Test func defaultsAndAUnixSocket() throws {
        let tcp = try PostgresLocation(url: "postgresql://ada@localhost/bank")
        #expect(tcp.port == 5432 && tcp.schema == "chronicle" && tcp.tls == .prefer && tcp.password == nil)
        let socket = try PostgresLocation(url: "postgres://ada@/bank?host=/run/postgresql")
        #expect(socket.host == nil && socket.socketFolder == "/run/postgresql")
    }

    @Test(arguments: [
        ("postgres://localhost/bank", "no user"),
        ("postgres://ada@localhost/", "no database"),
        ("postgres://ada@localhost/bank?schema=Ledger", "schema 'Ledger'"),
        ("postgres://ada@localhost/bank?schema=a;drop", "schema"),
        ("postgres://ada@localhost/bank?sslmode=maybe", "sslmode 'maybe'"),
        ("postgres://ada@localhost/bank?colour=red", "unknown parameter 'colour'"),
        ("postgres://ada@/bank", "no host"),
        ("postgres://ada@localhost:70000/bank", "port"),
        ("mysql://ada@localhost/bank", "postgres://"),
    ])
    func badURLsSayWhatIsWrong(url: String, expected: String) {
        #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: url) }
        do {
            _ = try PostgresLocation(url: url)
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func aPasswordIsNeverShown() {
        do {
            _ = try PostgresLocation(url: "postgres://ada:hunter2@localhost/bank?sslmode=never")
            Issue.record("the URL was accepted")
        } catch {
            #expect(!error.description.contains("hunter2"), "\(error.description)")
        }
        #expect(PostgresLocation.isURL("postgres://x") && PostgresLocation.isURL("postgresql://x"))
        #expect(!PostgresLocation.isURL("./postgres://x") && !PostgresLocation.isURL("store"))
    }
}

import Foundation
import TestSupport
import Testing

/// The `bank` executable, as a person or a script uses it.
@Suite("bank CLI")
struct BankCLITests {
    static let bank = CLIProcess.executable(named: "bank")

    func run(_ arguments: [String], in folder: TemporaryFolder) async throws -> CLIProcess.Outcome {
        try await CLIProcess.run(arguments, in: folder, executable: Self.bank)
    }

    @Test("bank demo tells the story and every check passes", .timeLimit(.minutes(10)))
    func demo() async throws {
        let folder = try TemporaryFolder()
        let outcome = try await run(["demo", "--store", folder.sub("demo")], in: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let checks = outcome.stdout.split(separator: "\n").filter { $0.hasPrefix("✔") || $0.hasPrefix("✘") }
        #expect(checks.count >= 12)
        #expect(checks.allSatisfy { $0.hasPrefix("✔") }, "\(checks)")
        #expect(outcome.stdout.contains("\(checks.count) passed, 0 failed"))
        for section in ["Days 1-7", "a bug posts wrong amounts", "history, with metadata", "as of three days ago", "dry run", "Revert for real", "Backup"] {
            #expect(outcome.stdout.contains(section), "section \(section)")
        }
        // A demo never overwrites: the same folder again is refused.
        let again = try await run(["demo", "--store", folder.sub("demo")], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.contains("not empty"))
    }

    struct Report: Decodable {
        var balances: [String: String]
        var positions: [Int64]?
        var replayed: Bool
    }

    struct Account: Decodable, Equatable {
        var id: String
        var owner: String
        var balance: String
        var balanceCents: Int
        var status: String
        var transactions: Int
    }

    @Test("the subcommands' JSON matches the state they built")
    func subcommands() async throws {
        let folder = try TemporaryFolder()
        let store = ["--store", folder.sub("store")]
        let json = store + ["--json"]
        let ada = try await run(["open", "--owner", "Ada"] + store, in: folder).stdout.split(separator: "\n").last.map(String.init) ?? ""
        let bob = try await run(["open", "--owner", "Bob"] + store, in: folder).stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(ada.count == 36 && bob.count == 36)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let deposit = try decoder.decode(Report.self, from: Data(try await run(["deposit", ada, "100.50"] + json, in: folder).stdout.utf8))
        #expect(deposit.balances == [ada: "100.50"])
        #expect(deposit.positions == [3, 3])
        let transfer = try decoder.decode(Report.self, from: Data(try await run(["transfer", ada, bob, "40"] + json, in: folder).stdout.utf8))
        #expect(transfer.balances == [ada: "60.50", bob: "40.00"])
        #expect(transfer.positions == [4, 5])
        let refused = try await run(["withdraw", bob, "41"] + store, in: folder)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("withdraw refused: insufficient funds"))
        #expect(try await run(["rename", bob, "Robert"] + store, in: folder).status == 0)

        let accounts = try decoder.decode([Account].self, from: Data(try await run(["list"] + json, in: folder).stdout.utf8))
        #expect(Set(accounts.map(\.owner)) == ["Ada", "Robert"])
        #expect(accounts.first { $0.id == ada }?.balanceCents == 6_050)
        #expect(accounts.first { $0.id == bob }?.transactions == 1)
        let robert = try decoder.decode([Account].self, from: Data(try await run(["list", "--owner", "Robert"] + json, in: folder).stdout.utf8))
        #expect(robert.map(\.id) == [bob])
        let shown = try decoder.decode(Account.self, from: Data(try await run(["show", ada] + json, in: folder).stdout.utf8))
        #expect(shown == accounts.first { $0.id == ada })

        struct Line: Decodable { var position: Int64; var type: String; var details: String; var actor: String? }
        let history = try decoder.decode([Line].self, from: Data(try await run(["history", ada] + json, in: folder).stdout.utf8))
        #expect(history.map(\.type) == ["Account.Opened", "Account.Deposited", "Account.Withdrawn"])
        #expect(history.map(\.details) == ["owner Ada", "+100.50", "-40.00"])

        // As of before the transfer, and a revert back to then.
        struct AsOf: Decodable { var position: Int64; var accounts: [Account]; var totalBalance: String }
        let past = try decoder.decode(AsOf.self, from: Data(try await run(["as-of", "now"] + json, in: folder).stdout.utf8))
        #expect(past.totalBalance == "100.50")
        try await Task.sleep(for: .milliseconds(1_100))
        let since = Date().addingTimeInterval(-0.5).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        #expect(try await run(["deposit", bob, "1"] + store, in: folder).status == 0)
        struct Revert: Decodable { var dryRun: Bool; var inverses: Int; var positions: [Int64]? }
        let dry = try decoder.decode(Revert.self, from: Data(try await run(["revert", "--since", since, "--reason", "test", "--dry-run"] + json, in: folder).stdout.utf8))
        #expect(dry.dryRun && dry.inverses == 1 && dry.positions == nil)
        let done = try decoder.decode(Revert.self, from: Data(try await run(["revert", "--since", since, "--reason", "test"] + json, in: folder).stdout.utf8))
        #expect(!done.dryRun && done.inverses == 1 && done.positions == [8, 8])
        let after = try decoder.decode([Account].self, from: Data(try await run(["list"] + json, in: folder).stdout.utf8))
        #expect(after.first { $0.id == bob }?.balance == "40.00")

        let rebuilt = try await run(["rebuild-views"] + json, in: folder)
        #expect(rebuilt.status == 0)
        #expect(rebuilt.stdout.contains("\"position\" : 8"))
        #expect(try await run(["rebuild-views", "--view", "BankTotals"] + store, in: folder).stdout.contains("rebuilt 1 views"))
        #expect(try await run(["rebuild-views", "--view", "Nope"] + store, in: folder).stderr.contains("no view named Nope"))
        struct Audit: Decodable { var command: String; var outcome: String }
        let audit = try decoder.decode([Audit].self, from: Data(try await run(["audit"] + json, in: folder).stdout.utf8))
        #expect(audit.map(\.command) == ["Account.Open", "Account.Open", "Account.Deposit", "Transfer", "Account.Withdraw", "Account.Rename", "Account.Deposit"])
        #expect(audit.map(\.outcome).filter { $0 == "rejected" }.count == 1)
        #expect(try await run(["show", "not-an-id"] + store, in: folder).status != 0)
    }
}

/// Odd arguments get a usage error or a clear refusal, never a trap and never a misreading.
@Suite("bank and chronicle arguments")
struct ArgumentTests {
    static let bank = CLIProcess.executable(named: "bank")

    @Test("amounts are parsed strictly: no sign, at most two decimals, nothing that overflows")
    func amounts() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        let opened = try await CLIProcess.run(["open", "--store", store, "--owner", "Ada"], in: folder, executable: Self.bank)
        #expect(opened.status == 0, "\(opened.stderr)")
        let account = String(opened.stdout.split(separator: "\n").last ?? "")
        for amount in ["-0.50", "+1", "1.-5", "1.234", "1e3", " 1", "1.", ".5", "", "92233720368547759", "92233720368547758.08", "0"] {
            let outcome = try await CLIProcess.run(["deposit", "--store", store, account, amount], in: folder, executable: Self.bank)
            #expect(outcome.status == 64, "amount '\(amount)': \(outcome.stderr)")
        }
        let fine = try await CLIProcess.run(["deposit", "--store", store, account, "12.5"], in: folder, executable: Self.bank)
        #expect(fine.status == 0, "\(fine.stderr)")
        let shown = try await CLIProcess.run(["show", "--store", store, account, "--json"], in: folder, executable: Self.bank)
        #expect(shown.stdout.contains("12.50"), "\(shown.stdout)")
    }

    @Test("a position range backwards is a usage error; an empty store path is refused")
    func rangesAndPaths() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        #expect(try await CLIProcess.run(["workload", "--store", store, "--events", "20"], in: folder, executable: CLIProcess.workload).status == 0)
        let backwards = try await CLIProcess.run(["cat", store, "--stream", "x", "--from", "10", "--to", "5"], in: folder)
        #expect(backwards.status == 64, "\(backwards.stderr)")
        #expect(try await CLIProcess.run(["cat", store, "--from", "0"], in: folder).status == 64)
        let empty = try await CLIProcess.run(["stats", ""], in: folder)
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("empty"), "\(empty.stderr)")
        let bankEmpty = try await CLIProcess.run(["list", "--store", ""], in: folder, executable: Self.bank)
        #expect(bankEmpty.status != 0)
        #expect(bankEmpty.stderr.contains("empty"), "\(bankEmpty.stderr)")
    }
}

extension ArgumentTests {
    @Test("dates are parsed strictly: no impossible calendar days, no NaN or endless relative dates")
    func dates() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        #expect(try await CLIProcess.run(["open", "--store", store, "--owner", "Ada"], in: folder, executable: Self.bank).status == 0)
        for date in ["nan days ago", "inf days ago", "-3 days ago", "1e300 days ago", "2026-02-30", "2026-13-01", "2026-01-01T25:00:00Z", "2026-1-1"] {
            let asOf = try await CLIProcess.run(["as-of", "--store", store, date], in: folder, executable: Self.bank)
            #expect(asOf.status == 64, "as-of '\(date)': \(asOf.stderr)")
            let revert = try await CLIProcess.run(["revert", "--store", store, "--since", date, "--reason", "test", "--dry-run"], in: folder, executable: Self.bank)
            #expect(revert.status == 64, "revert --since '\(date)': \(revert.stderr)")
            let audit = try await CLIProcess.run(["audit", store, "--since", date], in: folder)
            #expect(audit.status == 64, "audit --since '\(date)': \(audit.stderr)")
        }
        for date in ["2024-02-29", "2026-03-01T12:00:00Z", "3 days ago", "now"] {
            let asOf = try await CLIProcess.run(["as-of", "--store", store, date], in: folder, executable: Self.bank)
            #expect(asOf.status == 0, "as-of '\(date)': \(asOf.stderr)")
        }
    }
}

extension ArgumentTests {
    @Test("owner names are shown, never obeyed: escapes and controls are printed escaped, long names quickly", .timeLimit(.minutes(2)))
    func hostileOwnerNames() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        // A terminal title change (OSC), a colour (CSI), a forged row, a right-to-left override.
        let hostile = "Eve\u{1B}]0;owned\u{07}\u{1B}[31mred\nfake-row\u{202E}txt"
        let long = String(repeating: "L", count: 100_000)
        for owner in [hostile, long] {
            let opened = try await CLIProcess.run(["open", "--store", store, "--owner", owner], in: folder, executable: Self.bank)
            #expect(opened.status == 0, "\(opened.stderr)")
        }
        let list = try await CLIProcess.run(["list", "--store", store], in: folder, executable: Self.bank)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(!list.stdout.contains("\u{1B}") && !list.stdout.contains("\u{07}") && !list.stdout.contains("\u{202E}"))
        #expect(list.stdout.contains("Eve\\u{1B}]0;owned\\u{7}\\u{1B}[31mred\\nfake-row\\u{202E}txt"), "\(list.stdout)")
        #expect(list.stdout.split(separator: "\n").count == 3, "a title line and one line per account")
        #expect(list.stdout.contains(long))
    }
}

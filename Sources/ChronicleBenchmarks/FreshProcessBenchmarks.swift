import Bank
import Chronicle
import Foundation

/// What `bank show` and `bank deposit` cost a fresh process on a bank store of 1,000,000 events
/// written as `bank` writes them: one record per command (opens, deposits, withdrawals and
/// transfers, as `bank simulate` mixes them), with snapshots, and the account summaries saved by
/// an earlier command. Needs the `bank` executable next to this one (`swift build -c release
/// --product bank`).
enum FreshProcessBenchmarks {
    static func run() async throws {
        let bank = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("bank").path
        guard FileManager.default.isExecutableFile(atPath: bank) else {
            print("# fresh: skipped, build the bank executable first (swift build -c release --product bank)")
            return
        }
        let folder = try Measure.folder("fresh")
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: folder + "-views")
        }
        let store = try FlatFileEventStore(path: folder)
        let app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(), projection: .none,
                                         snapshots: FlatFileSnapshotStore(store: store))
        let accounts = (0..<1_000).map { _ in Account.ID.make() }
        for id in accounts {
            try await app.commands.open(account: id, owner: "Owner")
            try await app.commands.deposit(account: id, amount: 1_000_000)
        }
        let target: Int64 = 1_000_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<64 {
                group.addTask {
                    var state = UInt64(task) &* 0x9E37_79B9_7F4A_7C15 | 1
                    func next(_ bound: Int) -> Int {
                        state ^= state << 13; state ^= state >> 7; state ^= state << 17
                        return Int(state % UInt64(bound))
                    }
                    while try await store.lastPosition() < target {
                        let id = accounts[next(accounts.count)]
                        switch next(3) {
                        case 0: _ = try? await app.commands.deposit(account: id, amount: next(500) + 1)
                        case 1: _ = try? await app.commands.withdraw(account: id, amount: next(500) + 1)
                        default: _ = try? await app.commands.transfer(from: id, to: accounts[next(accounts.count)], amount: next(500) + 1)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        Measure.report("fresh.events", Double(try await store.lastPosition()), "events")
        // The account summaries an earlier command left.
        let summary = ViewHost<AccountSummary>(folder: folder + "-views")
        let views = try ViewStore<BankEvent>(store: store, folder: folder + "-views", hosts: [summary])
        try await views.catchUp()
        try await views.close()
        await store.close()

        let account = accounts[accounts.count / 2].description
        for (name, arguments) in [("show", ["show", account]), ("deposit", ["deposit", account, "1.00"])] {
            var costs: [Measure.ChildCost] = []
            for _ in 0..<5 { costs.append(try await Measure.child(bank, arguments + ["--store", folder, "--views", folder + "-views"])) }
            guard costs.allSatisfy({ $0.status == 0 }) else { throw BenchmarkFailure("bank \(name) failed") }
            Measure.report("fresh.bank-\(name)", costs.map(\.seconds).sorted()[2] * 1_000, "ms")
            Measure.report("fresh.bank-\(name).peak-memory", costs.map(\.peakMegabytes).max() ?? 0, "MB")
        }
    }
}

/// A benchmark that could not measure what it set out to.
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

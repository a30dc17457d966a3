import ArgumentParser
import Bank
import Chronicle
import ChronicleTerminal
import Foundation

/// `bank simulate`: random valid traffic, for load and crash tests.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Open accounts and run random deposits, withdrawals and transfers (for tests and load).",
        discussion: "With --print-acks, prints `POSITION TYPE` for each recorded command's last event as soon as it is durable; a transfer prints `transfer`.",
        shouldDisplay: false
    )

    @OptionGroup var options: StoreOptions
    @Option(help: "Accounts to open first.") var accounts = 20
    @Option(help: "Commands to run after opening them.") var operations = 1_000
    @Option(help: "Concurrent tasks.") var tasks = 4
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "When views follow: inline, background or none.") var projection: String = "none"
    @Flag(help: "Print each recorded command's last position as soon as it is durable.") var printAcks = false

    func run() async throws {
        let mode: ProjectionMode = projection == "inline" ? .inline : projection == "background" ? .background : .none
        let session = try await options.open(projection: mode)
        let printAcks = printAcks
        try await session.run { session in
            let ids = (0..<accounts).map { _ in Account.ID.make() }
            for id in ids {
                let outcome = try await session.commands.open(account: id, owner: "Owner \(id.description.prefix(4))")
                try await session.commands.deposit(account: id, amount: 10_000)
                if printAcks, let position = outcome.lastPosition { acknowledge("\(position) open") }
            }
            let perTask = operations / max(1, tasks)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<max(1, tasks) {
                    let commands = session.commands
                    let seed = seed &+ UInt64(task) &* 7_919
                    group.addTask {
                        var state = seed | 1
                        func next(_ bound: Int) -> Int {
                            state ^= state << 13; state ^= state >> 7; state ^= state << 17
                            return Int(state % UInt64(bound))
                        }
                        for _ in 0..<perTask {
                            let id = ids[next(ids.count)]
                            let kind: String
                            let outcome: CommandOutcome?
                            switch next(3) {
                            case 0:
                                kind = "deposit"
                                outcome = try? await commands.deposit(account: id, amount: next(500) + 1)
                            case 1:
                                kind = "withdraw"
                                outcome = try? await commands.withdraw(account: id, amount: next(500) + 1)
                            default:
                                kind = "transfer"
                                var other = ids[next(ids.count)]
                                if other == id { other = ids[(ids.firstIndex(of: id)! + 1) % ids.count] }
                                outcome = try? await commands.transfer(from: id, to: other, amount: next(500) + 1)
                            }
                            if printAcks, let position = outcome?.lastPosition { acknowledge("\(position) \(kind)") }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }
}

/// Writes a line to standard output at once (a parent that kills us must find it).
func acknowledge(_ line: String) {
    try? Output.write(line + "\n")
}

import Bank
import Chronicle
import Foundation

/// What the runtime's logs, metrics and spans cost when nobody listens: deposits on a warm
/// account with the default `Observability` (silent logger; the bootstrapped metrics factory
/// and tracer, here the no-op ones) against `Observability.off` (no calls at all), in the same
/// run, rounds interleaved. On the flat-file store (durable, what a command costs in practice)
/// and on the in-memory store (no disk: the instrumentation against the command's CPU alone).
enum ObservabilityBenchmarks {
    static func run() async throws {
        let folder = try Measure.folder("observability")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let onDisk = (
            try FlatFileEventStore(path: folder + "/default", options: FlatFileStoreOptions(observability: Observability())),
            try FlatFileEventStore(path: folder + "/off", options: FlatFileStoreOptions(observability: .off))
        )
        try await compare("observability.flat-file", onDisk.0, onDisk.1, rounds: 20, perRound: 400)
        await onDisk.0.close()
        await onDisk.1.close()
        try await compare("observability.in-memory", InMemoryEventStore(), InMemoryEventStore(), rounds: 10, perRound: 20_000)
    }

    static func compare(_ name: String, _ first: any EventStore, _ second: any EventStore, rounds: Int, perRound: Int) async throws {
        let instrumented = BankCommands(processor: CommandProcessor(store: first, options: CommandProcessorOptions(observability: Observability())), rules: BankRulebook())
        let silent = BankCommands(processor: CommandProcessor(store: second, options: CommandProcessorOptions(observability: .off)), rules: BankRulebook())
        let account = Account.ID.make()
        try await instrumented.open(account: account, owner: "Ada")
        try await silent.open(account: account, owner: "Ada")
        var on = 0.0, off = 0.0
        for round in 0..<rounds {
            // Alternating which goes first, so that neither always follows the other's flushes.
            func measureOn() async throws { on += try await Measure.seconds { for _ in 0..<perRound { try await instrumented.deposit(account: account, amount: 1) } } }
            func measureOff() async throws { off += try await Measure.seconds { for _ in 0..<perRound { try await silent.deposit(account: account, amount: 1) } } }
            if round.isMultiple(of: 2) {
                try await measureOn()
                try await measureOff()
            } else {
                try await measureOff()
                try await measureOn()
            }
        }
        let count = Double(rounds * perRound)
        Measure.report("\(name).default", count / on, "commands/s")
        Measure.report("\(name).off", count / off, "commands/s")
        Measure.report("\(name).default-vs-off", on / off, "x time")
    }
}

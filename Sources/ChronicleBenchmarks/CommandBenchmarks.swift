import Bank
import Chronicle
import Foundation

/// The write side: a command round trip against a bare append, and loading through a snapshot.
enum CommandBenchmarks {
    static func run() async throws {
        try await roundTrip()
        try await snapshotLoad()
    }

    /// Deposits on a warm account (load from memory, decide, durable append) against bare
    /// durable appends of the same event, one at a time, interleaved to share the disk's mood.
    static func roundTrip() async throws {
        let folder = try Measure.folder("commands")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder)
        let commands = BankCommands(processor: CommandProcessor(store: store), rules: BankRulebook())
        let account = Account.ID.make()
        try await commands.open(account: account, owner: "Ada")
        let payload = try Account.Event.deposited(Account.Deposited(amount: 1)).encodedPayload()
        var bare = 0.0, command = 0.0
        let rounds = 10, perRound = 500
        for _ in 0..<rounds {
            bare += try await Measure.seconds {
                for _ in 0..<perRound { try await store.append(to: "Bare-1", [ProposedEvent(type: "Account.Deposited", payload: payload)]) }
            }
            command += try await Measure.seconds {
                for _ in 0..<perRound { try await commands.deposit(account: account, amount: 1) }
            }
        }
        let count = Double(rounds * perRound)
        Measure.report("command.warm-round-trip", count / command, "commands/s")
        Measure.report("command.bare-append", count / bare, "events/s")
        Measure.report("command.round-trip-vs-bare-append", command / bare, "x time")
        await store.close()
    }

    /// Loading an account with 10,000 events cold: replaying them all, against its snapshot
    /// (taken every 100 events) plus the events after it.
    static func snapshotLoad() async throws {
        let folder = try Measure.folder("snapshots")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FlatFileEventStore(path: folder)
        let snapshots = FlatFileSnapshotStore(store: store)
        let account = Account.ID.make()
        let stream = Account.State.stream(for: account)
        var state = Account.State()
        let opened = state.capturing(.opened(Account.Opened(owner: "Ada")))
        try state.apply(opened)
        try await store.append(to: stream, [ProposedEvent(type: opened.typeName, payload: try opened.encodedPayload())])
        let deposit = try Account.Event.deposited(Account.Deposited(amount: 3)).encodedPayload()
        for _ in 0..<100 {
            try await store.append(to: stream, (0..<100).map { _ in ProposedEvent(type: "Account.Deposited", payload: deposit) })
        }
        for _ in 0..<9_999 { try state.apply(.deposited(Account.Deposited(amount: 3))) }
        // The processor snapshots every 100 events; here the last one was at version 10,000.
        try await snapshots.save(try Snapshot(state: state, version: 10_000), stream: stream)
        let replay = try await Measure.median(runs: 7) {
            _ = try await CommandProcessor(store: store).load(Account.State.self, id: account)
        }
        let snapshot = try await Measure.median(runs: 7) {
            _ = try await CommandProcessor(store: store, snapshots: snapshots).load(Account.State.self, id: account)
        }
        Measure.report("load.10000-events.replay", replay * 1_000, "ms")
        Measure.report("load.10000-events.snapshot", snapshot * 1_000, "ms")
        Measure.report("load.snapshot-vs-replay", snapshot / replay * 100, "%")
        await store.close()
    }
}

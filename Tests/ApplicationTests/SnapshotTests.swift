import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

@Suite("Snapshots")
struct SnapshotTests {
    /// Random commands on a few accounts.
    static func randomHistory(_ bank: BankFixture, accounts: [Account.ID], steps: Int, seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        for id in accounts { try await bank.commands.open(account: id, owner: "Owner") }
        for _ in 0..<steps {
            let id = accounts[random.next(upperBound: accounts.count)]
            switch random.next(upperBound: 5) {
            case 0, 1: try await bank.commands.deposit(account: id, amount: random.next(upperBound: 1_000) + 1)
            case 2: _ = try? await bank.commands.withdraw(account: id, amount: random.next(upperBound: 500) + 1)
            case 3: try await bank.commands.rename(account: id, owner: "Owner \(random.next(upperBound: 9))")
            default:
                let other = accounts[random.next(upperBound: accounts.count)]
                _ = try? await bank.commands.transfer(from: id, to: other, amount: random.next(upperBound: 300) + 1)
            }
        }
    }

    @Test("loading through snapshots gives the state loading without them gives", arguments: [1, 2, 3, 4, 5])
    func snapshotEquivalence(seed: UInt64) async throws {
        let bank = try BankFixture(snapshotInterval: 7)
        let accounts = (0..<4).map { _ in Account.ID.make() }
        try await Self.randomHistory(bank, accounts: accounts, steps: 150, seed: seed)
        let files = try FileManager.default.contentsOfDirectory(atPath: bank.store.path + "/snapshots")
        #expect(files.count == accounts.count, "every account was snapshotted")
        for id in accounts {
            // Cold processors: one through the snapshots, one replaying everything.
            let withSnapshots = try await CommandProcessor(store: bank.store, snapshots: FlatFileSnapshotStore(store: bank.store)).load(Account.State.self, id: id)
            let fromEvents = try await CommandProcessor(store: bank.store).load(Account.State.self, id: id)
            #expect(withSnapshots.state == fromEvents.state)
            #expect(withSnapshots.version == fromEvents.version)
            let snapshot = try #require(try await FlatFileSnapshotStore(store: bank.store).load(stream: Account.State.stream(for: id)))
            #expect(snapshot.version > 0 && snapshot.version <= fromEvents.version)
        }
        await bank.close()
    }

    @Test func aSnapshotFromAnotherDefinitionOrDamagedIsIgnored() async throws {
        let bank = try BankFixture(snapshotInterval: 1)
        let id = Account.ID.make()
        try await bank.commands.open(account: id, owner: "Ada")
        try await bank.commands.deposit(account: id, amount: 10)
        let stream = Account.State.stream(for: id)
        let snapshots = FlatFileSnapshotStore(store: bank.store)
        // A snapshot that lies about the balance, under another fingerprint: it must not be used.
        let lie = try Snapshot(state: Account.State(owner: "Mallory", balance: 1_000_000, status: .open), version: 2)
        try await snapshots.save(Snapshot(version: 2, fingerprint: "0000000000000000", state: lie.state), stream: stream)
        #expect(try await CommandProcessor(store: bank.store, snapshots: snapshots).load(Account.State.self, id: id).state.balance == 10)
        // A damaged snapshot file: ignored too.
        try await snapshots.save(lie, stream: stream)
        let file = bank.store.path + "/snapshots/" + (try FileManager.default.contentsOfDirectory(atPath: bank.store.path + "/snapshots")[0])
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        bytes[bytes.count - 3] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        #expect(try await CommandProcessor(store: bank.store, snapshots: snapshots).load(Account.State.self, id: id).state.balance == 10)
        await bank.close()
    }
}

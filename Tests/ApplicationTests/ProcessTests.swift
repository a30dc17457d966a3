import Bank
import Chronicle
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The bank across processes: a writer killed mid-transfer, a read side in another process.
@Suite("Bank processes")
struct ProcessTests {
    static let bank = CLIProcess.executable(named: "bank")

    static func lines(_ path: String) -> [String] {
        let text = CLIProcess.read(path)
        return text.split(separator: "\n").dropLast(text.hasSuffix("\n") ? 0 : 1).map(String.init)
    }

    static func waitForOutput(_ path: String, process: ChildProcess, timeout: Duration = .seconds(300)) async throws {
        let deadline = ContinuousClock.now + timeout
        while lines(path).isEmpty, process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    @Test("a transfer killed mid-way has both legs or neither", .timeLimit(.minutes(10)))
    func killDuringTransfers() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store")
        var acknowledgedTransfers = 0
        for round in 0..<6 {
            let writer = try CLIProcess.start(
                ["simulate", "--store", store, "--accounts", "6", "--operations", "1000000", "--tasks", "4", "--seed", "\(round + 1)", "--print-acks"],
                in: folder, executable: Self.bank)
            let stdout = writer.stdout
            try await Self.waitForOutput(stdout, process: writer)
            try await Task.sleep(for: .milliseconds(Int.random(in: 20...200)))
            writer.signal(SIGKILL)
            await writer.waitUntilExit()
            let log = try FlatFileEventStore(path: store, options: .testing)
            let events = try await log.readAll(from: 1, direction: .forward, limit: .max)
            // Every command's events, grouped by the command that caused them.
            let byCommand = Dictionary(grouping: events, by: { $0.causationID })
            for (_, group) in byCommand {
                let types = group.map(\.type)
                if types.count == 2, Set(types) == ["Account.Withdrawn", "Account.Deposited"] {
                    #expect(group[0].position + 1 == group[1].position, "a transfer's legs are adjacent")
                    #expect(group[0].stream != group[1].stream)
                } else {
                    #expect(group.count == 1, "a command recorded \(types)")
                }
            }
            // Every acknowledged transfer is there, both legs.
            for line in Self.lines(stdout) where line.hasSuffix(" transfer") {
                let position = Int64(line.split(separator: " ")[0]) ?? 0
                #expect(position <= events.count)
                guard position >= 2, position <= events.count else { continue }
                let legs = events[Int(position) - 2...Int(position) - 1]
                #expect(legs.map(\.type) == ["Account.Withdrawn", "Account.Deposited"])
                #expect(legs.first?.causationID == legs.last?.causationID)
                acknowledgedTransfers += 1
            }
            // Money is conserved: no half transfer created or destroyed any.
            var balances: [StreamID: Int] = [:]
            for event in events {
                switch try Account.Event.decode(typeName: event.type, schemaVersion: event.schemaVersion, payload: event.payload) {
                case .deposited(let e)?: balances[event.stream, default: 0] += e.amount
                case .withdrawn(let e)?: balances[event.stream, default: 0] -= e.amount
                default: break
                }
            }
            #expect(balances.values.allSatisfy { $0 >= 0 }, "no account went below zero")
            await log.close()
            #expect(try LogVerifier.verify(storeAt: store).isIntact)
        }
        #expect(acknowledgedTransfers > 0)
    }

    /// The views in `folder`, caught up; and the same views rebuilt from zero.
    static func viewsAndRebuild(store: String, views: String) async throws -> (BankQueries, BankQueries) {
        let log = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        let end = try await log.lastPosition()
        let persisted = try BankQueries(store: log, folder: views)
        try await persisted.views.catchUp(upTo: end)
        let rebuilt = try BankQueries(store: log, folder: nil)
        try await rebuilt.views.catchUp(upTo: end)
        return (persisted, rebuilt)
    }

    @Test("a read side in another process follows the writer; killed while persisting, it restarts correct", .timeLimit(.minutes(10)))
    func readSideInAnotherProcess() async throws {
        let folder = try TemporaryFolder()
        let store = folder.sub("store"), views = folder.sub("views")
        await (try FlatFileEventStore(path: store, options: .testing)).close()
        let writer = try CLIProcess.start(
            ["simulate", "--store", store, "--accounts", "8", "--operations", "3000", "--tasks", "4"], in: folder, executable: Self.bank)
        let writerErrors = writer.stderr
        // Followers that persist after every page of events, killed at random moments.
        for _ in 0..<4 {
            let follower = try CLIProcess.start(
                ["follow", "--store", store, "--views", views, "--persist-every", "1"], in: folder, executable: Self.bank)
            try await Task.sleep(for: .milliseconds(Int.random(in: 100...300)))
            follower.signal(SIGKILL)
            await follower.waitUntilExit()
            let (persisted, rebuilt) = try await Self.viewsAndRebuild(store: store, views: views)
            #expect(persisted.views.position == rebuilt.views.position)
            #expect(persisted.accountSummary == rebuilt.accountSummary)
            #expect(persisted.bankTotals == rebuilt.bankTotals)
        }
        // A follower that runs until the writer is done catches up with everything.
        let follower = try CLIProcess.start(["follow", "--store", store, "--views", views], in: folder, executable: Self.bank)
        let followerOutput = follower.stdout
        await writer.waitUntilExit()
        #expect(writer.terminationStatus == 0, "writer failed: \(CLIProcess.read(writerErrors))")
        let last = try await FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true)).lastPosition()
        let deadline = ContinuousClock.now + .seconds(300)
        var reached: Int64 = 0
        while reached < last, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let header = (try? String(contentsOfFile: views + "/BankTotals.view", encoding: .utf8))?.split(separator: "\n").first ?? ""
            // chronicle-view 2 FINGERPRINT POSITION EVENTID CRC32C
            let fields = header.split(separator: " ")
            reached = fields.count == 6 ? Int64(fields[3]) ?? 0 : 0
        }
        follower.signal(SIGTERM)
        await follower.waitUntilExit()
        _ = followerOutput
        #expect(reached == last, "the follower persisted views at the writer's last position")
        let (persisted, rebuilt) = try await Self.viewsAndRebuild(store: store, views: views)
        #expect(persisted.accountSummary == rebuilt.accountSummary)
        #expect(persisted.accountHistory == rebuilt.accountHistory)
    }
}

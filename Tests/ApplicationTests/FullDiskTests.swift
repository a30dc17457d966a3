import Bank
import Chronicle
import Foundation
import Loyalty
import TestSupport
import Testing

/// On a full disk, a command's outcome is the truth about the log, reads need no free space,
/// and nothing is left behind that holds space or corrupts what comes next.
@Suite("Full disk", .enabled(if: SmallDisk.unavailableReason == nil, Comment(rawValue: SmallDisk.unavailableReason ?? "")))
struct FullDiskTests {
    static let bank = CLIProcess.executable(named: "bank")

    @Test("bank: on a full disk, reads answer, commands recorded say so, and nothing is left over", .timeLimit(.minutes(5)))
    func bankOnAFullDisk() async throws {
        let disk = try SmallDisk(megabytes: 80)
        let folder = try TemporaryFolder()
        let store = disk.sub("store")
        let id = Account.ID.make().description
        let open = try await CLIProcess.run(["open", "--store", store, "--owner", "Ada", "--id", id], in: folder, executable: Self.bank)
        #expect(open.status == 0, "\(open.stderr)")
        for _ in 0..<3 {
            let deposit = try await CLIProcess.run(["deposit", "--store", store, id, "10.00"], in: folder, executable: Self.bank)
            #expect(deposit.status == 0, "\(deposit.stderr)")
        }
        try disk.fill()

        // A read needs no space: it answers, and says its views could not be saved.
        let show = try await CLIProcess.run(["show", "--store", store, "--json", id], in: folder, executable: Self.bank)
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("\"balance\" : \"30.00\""), "\(show.stdout)")
        // A command whose events fit in the segment's preallocated space is recorded: it says
        // so, whatever happened to its views and audit line afterwards.
        let deposit = try await CLIProcess.run(["deposit", "--store", store, id, "5.00"], in: folder, executable: Self.bank)
        #expect(deposit.status == 0, "\(deposit.stderr)")
        #expect(deposit.stdout.contains("deposit recorded"))
        #expect(deposit.stderr.contains("warning"), "the views and audit failures are reported: \(deposit.stderr)")
        let log = try FlatFileEventStore(path: store, options: FlatFileStoreOptions(readOnly: true))
        #expect(try await log.lastPosition() == 5, "open, three deposits and the one on the full disk")
        await log.close()
        // Output that cannot be written is an error, not a crash.
        let cat = try await CLIProcess.run(["cat", store], in: folder, shellPrefix: "exec > '\(disk.sub("cat.out"))'")
        #expect(cat.status == 74, "\(cat.stderr)")
        #expect(cat.stderr.contains("cannot write to standard output"))

        // No temporary file holds the space; once there is room again, everything is whole.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: disk.sub("store-views")).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        try disk.free(1 << 20)
        let again = try await CLIProcess.run(["deposit", "--store", store, "--json", id, "1.00"], in: folder, executable: Self.bank)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"36.00\""), "\(again.stdout)")
        // Every audit line is whole: the one cut short on the full disk did not run into the next.
        let lines = try AuditLog.entries(in: AuditLog.folder(ofStore: store))
        let files = try FileManager.default.contentsOfDirectory(atPath: AuditLog.folder(ofStore: store))
        let text = try files.map { try String(contentsOfFile: AuditLog.folder(ofStore: store) + "/" + $0, encoding: .utf8) }.joined()
        #expect(lines.count == text.split(separator: "\n").count, "no line is partial or merged")
        #expect(lines.last?.command == "Account.Deposit")
        let verify = try await CLIProcess.run(["verify", store], in: folder)
        #expect(verify.status == 0, "\(verify.stderr)")
    }

    @Test("appends on a full disk fail cleanly: nothing acknowledged is lost, no half-made segment stays", .timeLimit(.minutes(5)))
    func appendsUntilTheDiskIsFull() async throws {
        let disk = try SmallDisk(megabytes: 6)
        let store = try FlatFileEventStore(path: disk.sub("store"), options: FlatFileStoreOptions(segmentSize: 1 << 20))
        let payload = Array("{\"text\":\"\(String(repeating: "a", count: 4_000))\"}".utf8)
        var acknowledged: Int64 = 0
        var failure: (any Error)?
        for _ in 0..<10_000 {
            do {
                acknowledged = try await store.append(to: "S", [ProposedEvent(type: "T", payload: payload)]).lastPosition
            } catch {
                failure = error
                break
            }
        }
        #expect(failure != nil, "the disk filled up")
        await store.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: disk.sub("store/log"))
        #expect(!names.contains { $0.contains(".next") }, "\(names)")
        let reopened = try FlatFileEventStore(path: disk.sub("store"), options: FlatFileStoreOptions(segmentSize: 1 << 20))
        #expect(try await reopened.lastPosition() == acknowledged)
        await reopened.close()
        #expect(try LogVerifier.verify(storeAt: disk.sub("store")).isIntact)
    }

    @Test("Loyalty: a command recorded on a full disk succeeds, with its view failure as a warning")
    func loyaltyCommandOutcomeIsTheTruth() async throws {
        let disk = try SmallDisk(megabytes: 8)
        let store = try FlatFileEventStore(path: disk.sub("store"), options: FlatFileStoreOptions(segmentSize: 2 << 20))
        let warnings = DamagedFilesTests.Warnings()
        let app = try await LoyaltyApp.open(store: store, viewsFolder: disk.sub("views"), rules: LoyaltyRulebook(),
                                            viewOptions: ViewStoreOptions(persistEvery: 1, onWarning: warnings.handler))
        let member = Member.ID("m1")
        try await app.commands.join(member: member, name: "Ada")
        try disk.fill()
        let outcome = try await app.commands.earn(member: member, points: 7)
        #expect(outcome.positions == 2...2)
        #expect(warnings.all.contains { $0.contains("could not be saved") }, "the views could not be saved, and that is reported: \(warnings.all)")
        #expect(app.queries.memberCard.row(member)?.points == 7, "the views are right in memory")
        #expect(try await store.lastPosition() == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.sub("views")).allSatisfy { !$0.hasSuffix(".tmp") })
        try? await app.close()
        await store.close()
    }
}

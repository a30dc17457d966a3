import Bank
import Chronicle
import Foundation
import InMemoryTracing
import Logging
import Loyalty
import MetricsTestKit
import TestSupport
import Testing
import Tracing

/// The runtime reports through swift-log, swift-metrics and swift-distributed-tracing: the
/// messages, metrics and spans the Observability article lists appear, with their metadata,
/// when a logger, a metrics factory and a tracer are given; by default nothing is reported.
@Suite("Logs, metrics and traces")
struct ObservabilityTests {
    struct Reporting {
        let logs = RecordingLogHandler.Store()
        let metrics = TestMetrics()
        let tracer = InMemoryTracer()
        var observability: Observability { Observability(logger: RecordingLogHandler.logger(into: logs), metrics: metrics, tracer: tracer) }
    }

    @Test("commands: a span each with load, decide, append and project; counted by outcome and timed; appends and commits measured")
    func commands() async throws {
        let reporting = Reporting()
        let folder = try TemporaryFolder()
        let store = try FlatFileEventStore(path: folder.sub("store"), options: FlatFileStoreOptions(segmentSize: 1 << 20, observability: reporting.observability))
        let app = try await BankApp.open(store: store, viewsFolder: nil, rules: BankRulebook(),
                                         options: CommandProcessorOptions(observability: reporting.observability),
                                         viewOptions: ViewStoreOptions(observability: reporting.observability))
        let ada = Account.ID.make()
        let correlation = UUID()
        try await app.commands.open(account: ada, owner: "Ada", context: CommandContext(correlationID: correlation, actor: "teller"))
        let deposit = CommandContext(commandID: UUID())
        try await app.commands.deposit(account: ada, amount: 500, context: deposit)
        let again = try await app.commands.deposit(account: ada, amount: 500, context: deposit)
        #expect(again.isDuplicate)
        await #expect(throws: Account.WithdrawError.self) { try await app.commands.withdraw(account: ada, amount: 10_000) }
        try await app.close()
        await store.close()

        // Metrics.
        let metrics = reporting.metrics
        #expect(try metrics.expectCounter(Observability.MetricLabel.commands, [("command", "Account.Open"), ("outcome", "accepted")]).totalValue == 1)
        #expect(try metrics.expectCounter(Observability.MetricLabel.commands, [("command", "Account.Deposit"), ("outcome", "accepted")]).totalValue == 1)
        #expect(try metrics.expectCounter(Observability.MetricLabel.commands, [("command", "Account.Deposit"), ("outcome", "replayed")]).totalValue == 1)
        #expect(try metrics.expectCounter(Observability.MetricLabel.commands, [("command", "Account.Withdraw"), ("outcome", "rejected")]).totalValue == 1)
        #expect(try metrics.expectTimer(Observability.MetricLabel.commandDuration, [("command", "Account.Deposit")]).values.count == 2)
        #expect(try metrics.expectCounter(Observability.MetricLabel.appendedEvents).totalValue == 2)
        #expect(try metrics.expectCounter(Observability.MetricLabel.appendedBatches).totalValue == 2)
        #expect(try metrics.expectTimer(Observability.MetricLabel.commitDuration).values.count == 2)
        #expect(try metrics.expectRecorder(Observability.MetricLabel.groupCommitSize).values == [1, 1])
        #expect(try metrics.expectRecorder(Observability.MetricLabel.projectorLag).values.contains(1))

        // Spans: one per command, its steps as children.
        let spans = reporting.tracer.finishedSpans
        let open = try #require(spans.first { $0.operationName == "command Account.Open" })
        #expect(open.attributes.get("chronicle.correlation_id") == .string(correlation.uuidString))
        #expect(open.attributes.get("chronicle.actor") == .string("teller"))
        let children = spans.filter { $0.parentSpanID == open.spanID }.map(\.operationName)
        #expect(children == ["load", "decide", "append", "project"])
        let refused = try #require(spans.first { $0.operationName == "command Account.Withdraw" })
        #expect(refused.errors.count == 1, "the refusal is recorded on its span")
        #expect(!spans.filter { $0.parentSpanID == refused.spanID }.map(\.operationName).contains("append"))

        // Logs: the store's opening; commands at debug, a refusal at info with its reason.
        let opened = try #require(reporting.logs.named("store opened").first)
        #expect(opened.level == .info && opened.metadata["chronicle.last_position"] == "0")
        let rejection = try #require(reporting.logs.named("command rejected").first)
        #expect(rejection.level == .info && rejection.metadata["chronicle.command"] == "Account.Withdraw")
        #expect(reporting.logs.named("command accepted").count == 2 && reporting.logs.named("command accepted").allSatisfy { $0.level == .debug })
        #expect(reporting.logs.named("command replayed").first?.metadata["chronicle.command_id"] == deposit.commandID?.uuidString)
    }

    @Test("a torn tail cut on open is logged with where its bytes were kept")
    func tornTail() async throws {
        let folder = try TemporaryFolder()
        let path = folder.sub("store")
        let store = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 16))
        try await store.append(to: "s", [ProposedEvent(type: "T", payload: Array("{}".utf8))])
        let end = try store.committedSegments().segments[0].length
        await store.close()
        let segment = path + "/log/segment-00000001.log"
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: segment))
        try file.seek(toOffset: UInt64(end))
        try file.write(contentsOf: Data((0..<64).map { _ in UInt8.random(in: 1...255) }))
        try file.close()

        let reporting = Reporting()
        let reopened = try FlatFileEventStore(path: path, options: FlatFileStoreOptions(segmentSize: 1 << 16, observability: reporting.observability))
        await reopened.close()
        let cut = try #require(reporting.logs.named("torn tail cut").first)
        #expect(cut.level == .warning)
        #expect(cut.metadata["chronicle.offset"] == "\(end)" && cut.metadata["chronicle.bytes"] == "64")
        #expect(cut.metadata["chronicle.kept"] == path + "/recovered/segment-00000001.log.offset-\(end).torn")
        #expect(FileManager.default.fileExists(atPath: cut.metadata["chronicle.kept"] ?? ""))
        #expect(reporting.logs.named("store opened").first?.metadata["chronicle.torn_tail_bytes"] == "64")
    }

    @Test("reverts are logged with their reason and actor, refusals too; a stopped view, a rebuild and a backup are logged; on two domains")
    func revertsViewsAndBackups() async throws {
        // Loyalty: a revert recorded, and one refused over a mailed letter.
        let reporting = Reporting()
        let clock = ManualWallClock()
        let store = InMemoryEventStore(clock: clock)
        let loyalty = try await LoyaltyApp.open(store: store, viewsFolder: nil, rules: LoyaltyRulebook(),
                                                options: CommandProcessorOptions(clock: clock, observability: reporting.observability),
                                                viewOptions: ViewStoreOptions(observability: reporting.observability))
        let member = Member.ID("m1")
        try await loyalty.commands.join(member: member, name: "Ada")
        let joined = try await store.lastPosition()
        try await loyalty.commands.earn(member: member, points: 50)
        _ = try await loyalty.revert(since: joined, reason: "a look first", actor: "ops", dryRun: true)
        let previewed = try #require(reporting.logs.named("revert previewed").first)
        #expect(previewed.level == .debug && previewed.metadata["chronicle.inverses"] == "1" && previewed.metadata["chronicle.positions"] == nil)
        let outcome = try await loyalty.revert(since: joined, reason: "points given by mistake", actor: "ops")
        let recorded = try #require(reporting.logs.named("revert recorded").first)
        #expect(recorded.level == .notice)
        #expect(recorded.metadata["chronicle.reason"] == "points given by mistake" && recorded.metadata["chronicle.actor"] == "ops")
        #expect(recorded.metadata["chronicle.inverses"] == "1")
        #expect(recorded.metadata["chronicle.positions"] == "\(outcome.positions?.lowerBound ?? 0)-\(outcome.positions?.upperBound ?? 0)")
        try await loyalty.commands.mail(member: member, text: "Hello")
        await #expect(throws: RevertError.self) { try await loyalty.revert(since: joined, reason: "too far", actor: "ops") }
        let refused = try #require(reporting.logs.named("revert refused").first)
        #expect(refused.metadata["chronicle.reason"] == "too far" && refused.metadata["chronicle.refusal"]?.contains("Member.Mailed") == true)
        try await loyalty.queries.views.rebuild()
        let rebuilt = try #require(reporting.logs.named("views rebuilt").first)
        #expect(rebuilt.metadata["chronicle.views"]?.contains("MemberCard") == true)
        #expect(try reporting.metrics.expectRecorder(Observability.MetricLabel.rebuildProgress).lastValue == 1)
        try await loyalty.close()

        // Bank: a view that stops is logged once, as an error; a backup is logged.
        let bankReporting = Reporting()
        let folder = try TemporaryFolder()
        let bankStore = try FlatFileEventStore(path: folder.sub("store"), options: FlatFileStoreOptions(segmentSize: 1 << 16))
        let bank = try await BankApp.open(store: bankStore, viewsFolder: nil, rules: BankRulebook(),
                                          viewOptions: ViewStoreOptions(observability: bankReporting.observability))
        let first = Account.ID.make(), second = Account.ID.make()
        try await bank.commands.open(account: first, owner: "Ada")
        try await bank.commands.open(account: second, owner: "Grace")
        try await bank.commands.deposit(account: first, amount: Money.max / 2 + 1)
        try await bank.commands.deposit(account: second, amount: Money.max / 2 + 1)
        try await bank.commands.deposit(account: second, amount: 1)
        let failures = bankReporting.logs.named("projection failed")
        #expect(failures.count == 1)
        #expect(failures.first?.level == .error && failures.first?.metadata["chronicle.view"] == "BankTotals")
        #expect(failures.first?.metadata["chronicle.event_type"] == "Account.Deposited")
        try await bank.close()
        await bankStore.close()
        let backupLogs = RecordingLogHandler.Store()
        _ = try StoreBackup.backup(storeAt: folder.sub("store"), to: folder.sub("backup"), logger: RecordingLogHandler.logger(into: backupLogs))
        #expect(backupLogs.named("backup written").first?.metadata["chronicle.last_position"] == "5")
    }

    @Test("by default nothing is logged: the logger is silent")
    func silentByDefault() async throws {
        let options = CommandProcessorOptions()
        #expect(options.observability.logger.handler is SwiftLogNoOpLogHandler)
        #expect(FlatFileStoreOptions().observability.logger.handler is SwiftLogNoOpLogHandler)
        #expect(ViewStoreOptions().observability.logger.handler is SwiftLogNoOpLogHandler)
    }
}

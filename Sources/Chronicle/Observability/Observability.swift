import CoreMetrics
import Logging
import Tracing

/// Where the runtime reports what it does: a swift-log `Logger`, a swift-metrics factory and a
/// swift-distributed-tracing tracer, the interfaces the Swift server ecosystem expects.
///
/// The default costs (next to) nothing when nobody listens: the logger is silent, and metrics
/// and spans go to whatever the application bootstrapped (`MetricsSystem.bootstrap`,
/// `InstrumentationSystem.bootstrap`), which is a no-op until it does. Pass your own logger to
/// see the runtime's messages. The messages, metrics and spans are listed in the
/// *Observability* article; their names and metadata keys are part of the API.
///
/// Stores, command processors and view stores take it in their options; a metrics backend
/// bootstrapped after they were created is not seen by them (metrics are created up front).
public struct Observability: Sendable {
    /// Receives the runtime's log messages. Silent by default.
    public var logger: Logger
    /// Makes the runtime's counters, timers and gauges.
    public var metrics: any MetricsFactory
    /// Starts the runtime's spans (one per command, with its steps).
    public var tracer: any Tracer
    /// Whether spans are started: not for the no-op tracer (or ``off``), whose spans would
    /// cost a task-local binding each and tell nobody anything.
    let tracesOn: Bool
    /// Whether metrics are made: not for the no-op factory (or ``off``).
    let metricsOn: Bool

    /// Reports through `logger` (default: silent), `metrics` (default: the bootstrapped
    /// factory, a no-op until the application bootstraps one) and `tracer` (the same).
    public init(logger: Logger = Observability.silentLogger, metrics: any MetricsFactory = MetricsSystem.factory,
                tracer: any Tracer = InstrumentationSystem.tracer) {
        self.init(logger: logger, metrics: metrics, tracer: tracer, isOn: true)
    }

    /// Reports nothing: no spans, no metrics, a silent logger. The default costs the same when
    /// the backends are the no-op ones; the benchmarks compare the two.
    public static var off: Observability {
        Observability(logger: silentLogger, metrics: NOOPMetricsHandler.instance, tracer: NoOpTracer(), isOn: false)
    }

    private init(logger: Logger, metrics: any MetricsFactory, tracer: any Tracer, isOn: Bool) {
        self.logger = logger
        self.metrics = metrics
        self.tracer = tracer
        // The no-op backends are recognised once, here: then a command pays for none of them.
        self.tracesOn = isOn && !(tracer is NoOpTracer)
        self.metricsOn = isOn && !(metrics is NOOPMetricsHandler)
    }

    /// Whether the logger takes messages of `level` (a message's metadata is built only then).
    func logs(_ level: Logger.Level) -> Bool { logger.logLevel <= level }

    /// A logger that drops everything: the runtime's default.
    public static var silentLogger: Logger {
        Logger(label: "chronicle", factory: { _ in SwiftLogNoOpLogHandler() })
    }

    /// Runs `body` in a span named `name` (a child of the task's current span), when traces are on.
    func span<T>(_ name: String, attributes: @autoclosure () -> [String: String] = [:], _ body: () async throws -> T) async rethrows -> T {
        guard tracesOn else { return try await body() }
        let attributes = attributes()
        return try await tracer.withSpan(name) { span in
            for (key, value) in attributes { span.attributes[key] = value }
            return try await body()
        }
    }

    /// A counter, or `nil` when metrics are off.
    func counter(_ label: String, _ dimensions: @autoclosure () -> [(String, String)] = []) -> Counter? {
        metricsOn ? Counter(label: label, dimensions: dimensions(), factory: metrics) : nil
    }

    /// A timer, or `nil` when metrics are off.
    func timer(_ label: String, _ dimensions: @autoclosure () -> [(String, String)] = []) -> CoreMetrics.Timer? {
        metricsOn ? CoreMetrics.Timer(label: label, dimensions: dimensions(), factory: metrics) : nil
    }

    /// A recorder (`aggregate`: a histogram; otherwise a gauge), or `nil` when metrics are off.
    func recorder(_ label: String, _ dimensions: @autoclosure () -> [(String, String)] = [], aggregate: Bool = true) -> Recorder? {
        metricsOn ? Recorder(label: label, dimensions: dimensions(), aggregate: aggregate, factory: metrics) : nil
    }
}

extension Observability {
    /// The metrics the runtime reports, by label.
    public enum MetricLabel {
        /// Counter: events appended durably (flat-file store).
        public static let appendedEvents = "chronicle_store_appended_events"
        /// Counter: batches appended durably (flat-file store).
        public static let appendedBatches = "chronicle_store_appended_batches"
        /// Timer: one group commit's write and `fdatasync`.
        public static let commitDuration = "chronicle_store_commit_duration"
        /// Recorder (histogram): batches made durable by one `fdatasync`.
        public static let groupCommitSize = "chronicle_store_group_commit_batches"
        /// Counter: commands, dimensions `command` (e.g. `Account.Deposit`) and `outcome`
        /// (``AuditEntry/Outcome``: `accepted`, `replayed`, `rejected`, `conflict`, `invalid`,
        /// `failed`).
        public static let commands = "chronicle_commands"
        /// Timer: a command from start to answer, dimension `command`.
        public static let commandDuration = "chronicle_command_duration"
        /// Recorder (gauge): events the views were behind the log when a catch-up began.
        public static let projectorLag = "chronicle_views_lag_events"
        /// Recorder (gauge): a rebuild's progress, from 0 to 1.
        public static let rebuildProgress = "chronicle_views_rebuild_progress"
    }
}

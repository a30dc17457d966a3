import Foundation

/// An aggregate's state at one version, to load from instead of replaying every event.
public struct Snapshot: Sendable, Hashable {
    /// The stream version the state reflects.
    public var version: Int64
    /// The aggregate definition's fingerprint when the snapshot was taken; a snapshot whose
    /// fingerprint differs from the current one is ignored.
    public var fingerprint: String
    /// The state, as JSON.
    public var state: [UInt8]
    /// The id of the stream's event at ``version``, when known: a snapshot is used only when the
    /// log holds that very event there, so a snapshot of another (restored or replaced) log is
    /// never taken for this one's.
    public var eventID: UUID?

    /// Creates a snapshot from its parts.
    public init(version: Int64, fingerprint: String, state: [UInt8], eventID: UUID? = nil) {
        self.version = version
        self.fingerprint = fingerprint
        self.state = state
        self.eventID = eventID
    }

    /// Creates a snapshot of a state.
    public init<State: AggregateState>(state: State, version: Int64, eventID: UUID? = nil) throws {
        self.init(version: version, fingerprint: State.fingerprint, state: try ChronicleJSON.encode(state), eventID: eventID)
    }
}

/// Why a snapshot could not be used; the aggregate is then loaded from its events.
public struct SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The snapshot's file (or other location).
    public var file: String
    /// What is wrong with it.
    public var reason: String

    /// Creates an error.
    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): snapshot ignored: \(reason)" }
}

/// Where snapshots are kept. Snapshots are an optimisation: losing one costs time, never data.
///
/// The processor checks every snapshot it loads (fingerprint, decoding, and that the log holds
/// the snapshot's event at its version), so a store only keeps and returns them.
public protocol SnapshotStore: Sendable {
    /// The latest snapshot of a stream; `nil` when there is none.
    /// - Throws: ``SnapshotError`` when there is one that cannot be trusted (damaged, or of
    ///   another format); the processor then warns and loads from the events.
    func load(stream: StreamID) async throws -> Snapshot?
    /// Replaces a stream's snapshot.
    func save(_ snapshot: Snapshot, stream: StreamID) async throws
}

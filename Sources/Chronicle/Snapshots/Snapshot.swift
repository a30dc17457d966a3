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

    /// Creates a snapshot from its parts.
    public init(version: Int64, fingerprint: String, state: [UInt8]) {
        self.version = version
        self.fingerprint = fingerprint
        self.state = state
    }

    /// Creates a snapshot of a state.
    public init<State: AggregateState>(state: State, version: Int64) throws {
        self.init(version: version, fingerprint: State.fingerprint, state: try ChronicleJSON.encode(state))
    }
}

/// Where snapshots are kept. Snapshots are an optimisation: losing one costs time, never data.
public protocol SnapshotStore: Sendable {
    /// The latest snapshot of a stream, if there is a readable one.
    func load(stream: StreamID) throws -> Snapshot?
    /// Replaces a stream's snapshot.
    func save(_ snapshot: Snapshot, stream: StreamID) throws
}

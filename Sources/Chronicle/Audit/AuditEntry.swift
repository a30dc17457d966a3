import Foundation

/// One command in the audit log: who asked for what, when, and how it ended.
public struct AuditEntry: Codable, Sendable, Hashable {
    /// How a command ended.
    public enum Outcome: String, Codable, Sendable, Hashable {
        /// Its events were recorded.
        case accepted
        /// Its id was already recorded; nothing new was.
        case replayed
        /// A business rule refused it (its typed error), or its aggregate was missing or already there.
        case rejected
        /// Other commands kept changing its aggregates; retries ran out.
        case conflict
        /// Its batch was malformed.
        case invalid
        /// Something else failed (the disk, say).
        case failed

        /// Whether the command recorded nothing: refused, conflicting, invalid or failed.
        public var recordedNothing: Bool { self != .accepted && self != .replayed }

        init(outcome: CommandOutcome?, error: (any Error)?) {
            if let outcome { self = outcome.isDuplicate ? .replayed : .accepted; return }
            switch error {
            case EventStoreError.wrongExpectedVersion?: self = .conflict
            case EventStoreError.invalidBatch?: self = .invalid
            case is EventStoreError, is SchemaDecodingError, is CancellationError: self = .failed
            default: self = .rejected
            }
        }
    }

    /// The command's id.
    public var commandID: UUID
    /// The command's name, e.g. `Account.Withdraw`.
    public var command: String
    /// The command's fields, as JSON.
    public var payload: String
    /// Who sent it.
    public var actor: String?
    /// Its business transaction.
    public var correlationID: UUID?
    /// When it arrived.
    public var at: Date
    /// How it ended.
    public var outcome: Outcome
    /// The error, when it did not succeed.
    public var reason: String?
    /// The global positions of what it recorded.
    public var positions: ClosedRange<Int64>?
    /// How long it took, in microseconds.
    public var durationMicroseconds: Int64

    /// Creates an entry.
    public init(commandID: UUID, command: String, payload: String, actor: String?, correlationID: UUID?, at: Date,
                outcome: Outcome, reason: String?, positions: ClosedRange<Int64>?, durationMicroseconds: Int64) {
        self.commandID = commandID
        self.command = command
        self.payload = payload
        self.actor = actor
        self.correlationID = correlationID
        self.at = at
        self.outcome = outcome
        self.reason = reason
        self.positions = positions
        self.durationMicroseconds = durationMicroseconds
    }
}

import Foundation

/// What a command recorded.
public struct CommandOutcome: Sendable, Hashable {
    /// The command's id.
    public var commandID: UUID
    /// The global positions of the recorded events; `nil` when the decision recorded nothing.
    public var positions: ClosedRange<Int64>?
    /// The recorded events, in log order: their ids, streams, positions and types. Empty when
    /// the decision recorded nothing; for a replayed command, the events it recorded the first
    /// time (read back from the log).
    public var events: [RecordedEventReference] = []
    /// Each touched stream's version after the command.
    public var streamVersions: [StreamID: Int64]
    /// When the events were recorded.
    public var recordedAt: Date?
    /// Whether the command had already been recorded under its id: nothing was recorded now,
    /// and these are the original figures.
    public var isDuplicate: Bool
    /// What went wrong after the events were recorded (say, views that could not be brought up
    /// to date or saved on a full disk). The command is recorded all the same: an outcome is the
    /// truth about the log.
    public var warnings: [String] = []

    /// Creates an outcome.
    public init(commandID: UUID, positions: ClosedRange<Int64>?, streamVersions: [StreamID: Int64], recordedAt: Date?, isDuplicate: Bool) {
        self.commandID = commandID
        self.positions = positions
        self.streamVersions = streamVersions
        self.recordedAt = recordedAt
        self.isDuplicate = isDuplicate
    }

    init(commandID: UUID, result: AppendResult, events: [RecordedEventReference]) {
        self.init(commandID: commandID, positions: result.firstPosition...result.lastPosition, streamVersions: result.streamVersions,
                  recordedAt: Date(nanosecondsSince1970: result.recordedAtNanoseconds), isDuplicate: result.isDuplicate)
        self.events = events
    }

    /// The position of the last recorded event (for read-your-writes waits).
    public var lastPosition: Int64? { positions?.upperBound }
}

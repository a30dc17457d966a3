import Foundation

/// Who sends a command, and as part of what: the metadata every event it records carries.
public struct CommandContext: Sendable, Hashable {
    /// The command's id; repeating a command with the same id records nothing twice.
    public var commandID: UUID
    /// The business transaction the command belongs to (its own id when it starts one).
    public var correlationID: UUID?
    /// Who sends the command.
    public var actor: String?
    /// Free-form metadata copied onto every event.
    public var metadata: [String: String]

    /// Creates a context; a fresh command id unless one is given.
    public init(commandID: UUID = .timeOrdered(), correlationID: UUID? = nil, actor: String? = nil, metadata: [String: String] = [:]) {
        self.commandID = commandID
        self.correlationID = correlationID
        self.actor = actor
        self.metadata = metadata
    }
}

import Foundation

/// Who sends a command, and as part of what: the metadata every event it records carries.
public struct CommandContext: Sendable, Hashable {
    /// The command's id, for idempotency: repeating a command with the same id records nothing
    /// twice. `nil` (the default) gives each command a fresh id, so that one context can be
    /// reused for many commands.
    public var commandID: UUID?
    /// The business transaction the command belongs to (its own id when it starts one).
    public var correlationID: UUID?
    /// Who sends the command.
    public var actor: String?
    /// Free-form metadata copied onto every event. Keys starting with `chronicle.` are reserved
    /// for the runtime; a command whose metadata uses one is refused with
    /// ``CommandError/reservedMetadataKey(_:)``.
    public var metadata: [String: String]

    /// The prefix of the metadata keys that only the runtime writes.
    public static let reservedMetadataPrefix = "chronicle."

    /// Creates a context.
    public init(commandID: UUID? = nil, correlationID: UUID? = nil, actor: String? = nil, metadata: [String: String] = [:]) {
        self.commandID = commandID
        self.correlationID = correlationID
        self.actor = actor
        self.metadata = metadata
    }
}

import Foundation

/// Why a revert recorded nothing.
public enum RevertError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An event in the range cannot be undone.
    public struct Irreversible: Hashable, Sendable, Codable {
        /// The event's id.
        public var eventID: UUID
        /// Its type.
        public var type: String
        /// Its position.
        public var position: Int64
        /// Why it cannot be undone.
        public var reason: String

        /// Creates the description of an irreversible event.
        public init(eventID: UUID, type: String, position: Int64, reason: String) {
            self.eventID = eventID
            self.type = type
            self.position = position
            self.reason = reason
        }
    }

    /// A later event changed what an event to undo changed.
    public struct Conflict: Hashable, Sendable, Codable {
        /// The event to undo.
        public var eventID: UUID
        /// The later event.
        public var laterEventID: UUID
        /// The later event's position.
        public var laterPosition: Int64
        /// The fields both changed.
        public var fields: [String]
    }

    /// Events in the range cannot be undone; nothing was appended.
    case irreversible([Irreversible])
    /// Later events changed the same values; nothing was appended (revert with `force` to undo anyway).
    case conflicts([Conflict])
    /// An event id to undo is not in the log.
    case unknownEvent(UUID)
    /// The event's effect was already undone by the revert event `by`; revert that one to
    /// bring the event back. Nothing was appended.
    case alreadyReverted(eventID: UUID, by: UUID)
    /// Both events were chosen, but the second is a redo of the first (or reverts a revert of
    /// it): they carry one change, which would be undone twice. Nothing was appended.
    case sameChangeTwice(UUID, UUID)

    public var description: String {
        switch self {
        case .irreversible(let events):
            return "cannot revert: " + events.map { "\($0.type) at position \($0.position) is irreversible (\($0.reason))" }.joined(separator: "; ")
        case .conflicts(let conflicts):
            return "cannot revert without force: " + conflicts.map {
                "event \($0.eventID) changed \($0.fields.joined(separator: ", ")), which event \($0.laterEventID) at position \($0.laterPosition) changed again"
            }.joined(separator: "; ")
        case .unknownEvent(let id):
            return "no event \(id) in the log"
        case .sameChangeTwice(let original, let redo):
            return "events \(original) and \(redo) carry one change (the second redoes the first); choose one of them"
        case .alreadyReverted(let id, let revert):
            return "event \(id) is already reverted, by event \(revert); revert that event to bring it back"
        }
    }
}

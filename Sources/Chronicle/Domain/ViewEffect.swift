/// What an event does to read views.
///
/// An ordinary event applies its own view operations. An event appended to revert another has
/// the opposite effect of the one it reverts: reverting a `Deposited` undoes the deposit's view
/// operations (even when the revert is recorded as a `Withdrawn`, its named inverse), and
/// reverting that revert applies them again. The effect is stored in the event's metadata under
/// ``metadataKey`` so that projections never need to look at other events.
public struct ViewEffect: Hashable, Sendable, CustomStringConvertible {
    /// Whether the view operations of ``typeName`` are applied or undone.
    public enum Mode: String, Sendable, Hashable {
        /// Apply the operations.
        case apply
        /// Undo the operations.
        case undo
    }

    /// The metadata key under which a revert event stores its effect, as `undo:Type` or `apply:Type`.
    public static let metadataKey = "chronicle.view-effect"

    /// Apply or undo.
    public var mode: Mode
    /// The event type whose view operations are meant.
    public var typeName: String

    /// Creates an effect.
    public init(_ mode: Mode, _ typeName: String) {
        self.mode = mode
        self.typeName = typeName
    }

    /// The effect of a recorded event: from its metadata, else applying its own type.
    public init(of event: RecordedEvent) {
        self = event.metadata[ViewEffect.metadataKey].flatMap(ViewEffect.init(encoded:)) ?? ViewEffect(.apply, event.type)
    }

    /// Parses `undo:Type` or `apply:Type`.
    public init?(encoded: String) {
        guard let colon = encoded.firstIndex(of: ":"), let mode = Mode(rawValue: String(encoded[..<colon])) else { return nil }
        self.init(mode, String(encoded[encoded.index(after: colon)...]))
    }

    /// The effect of an event that reverts an event with this effect.
    public var reversed: ViewEffect { ViewEffect(mode == .apply ? .undo : .apply, typeName) }

    /// The metadata form, `undo:Type` or `apply:Type`.
    public var description: String { "\(mode.rawValue):\(typeName)" }
}

import Foundation

/// The source of recorded-at times. Inject one to simulate days in tests and demos.
///
/// Stores never let recorded-at times decrease along the log: a clock that goes back in time
/// (or an injected one set to the past) makes later events share the latest time already recorded.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}
    /// The current system time.
    public func now() -> Date { Date() }
}

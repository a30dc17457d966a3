
import Foundation
import Synchronization

/// A ``WallClock`` that only moves when told to: for simulating days in tests and demos.
///
/// It starts at 2026-01-01 00:00 UTC unless given another date.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    /// Creates a clock showing `date`.
    public init(_ date: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex(date)
    }

    /// The time the clock shows.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward (or back, with a negative interval).
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Sets the time the clock shows.
    public func set(_ date: Date) { current.withLock { $0 = date } }
}

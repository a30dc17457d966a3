import Chronicle

/// The loyalty scheme's rules: the decisions its schema leaves to Swift, and the event it
/// applies in Swift.
public struct LoyaltyRulebook: LoyaltyRules {
    public init() {}

    public func decide(_ command: Member.Spend, state: Member.State) throws(Member.SpendError) -> Member.Spent {
        guard command.points > 0, command.points <= state.points else { throw .notEnoughPoints }
        return Member.Spent(points: command.points)
    }

    public func decide(_ command: Member.DoublePoints, state: Member.State) throws(Member.DoublePointsError) -> Member.Doubled {
        // Doubling must not overflow: its revert halves the points again.
        guard state.points <= Points.max / 2 else { throw .tooManyPoints }
        return Member.Doubled()
    }

    public func decide(_ command: Redeem, member: Member.State, shop: Shop.State) throws(RedeemError) -> Redeem.Events {
        guard command.points > 0, command.points <= member.points else { throw .notEnoughPoints }
        return Redeem.Events(member: Member.Spent(points: command.points), shop: Shop.Sold(item: command.item, points: command.points))
    }
}

extension Member.State {
    /// Doubles the points; `DoublePoints` is refused when that would overflow, so this cannot.
    public static func apply(_ event: Member.Doubled, to state: inout Member.State) {
        state.points = state.points.multipliedReportingOverflow(by: 2).partialValue
        state.doublings += 1
    }

    /// Halves the points again.
    public static func revert(_ event: Member.Doubled, to state: inout Member.State) {
        state.points /= 2
        state.doublings -= 1
    }
}

extension Member.Event {
    /// Version 1 of `Joined` stored `first` and `last`; version 2 has one `name`.
    public static func upcastJoined(_ stored: StoredPayload) throws -> Member.Joined {
        let first = try stored.decode(String.self, "first")
        let last = try stored.decodeIfPresent(String.self, "last")
        return Member.Joined(name: [first, last].compactMap { $0 }.joined(separator: " "))
    }
}

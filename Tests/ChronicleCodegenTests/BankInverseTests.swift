import Bank
import Chronicle
import ChronicleTesting
import Foundation
import Testing

/// The generated Bank code, compiled and run: every event followed by its inverse is the
/// identity on the account's state and on every view, over random histories.
@Suite("Bank: every event and its inverse")
struct BankInverseTests {
    struct Views: Equatable {
        var summary = AccountSummary()
        var history = AccountHistory()
        var totals = BankTotals()

        mutating func project(_ event: BankEvent, context: EventContext) throws {
            try summary.project(event, effect: ViewEffect(.apply, event.typeName), context: context)
            try history.project(event, effect: ViewEffect(.apply, event.typeName), context: context)
            try totals.project(event, effect: ViewEffect(.apply, event.typeName), context: context)
        }

        func checkInverse(_ event: BankEvent, context: EventContext) throws {
            try InverseLaw.checkView(summary, event, context: context)
            try InverseLaw.checkView(history, event, context: context)
            try InverseLaw.checkView(totals, event, context: context)
        }
    }

    /// A random event that a valid history could hold next for this account.
    static func nextEvent(_ state: Account.State, using random: inout SeededRandom) -> Account.Event {
        switch random.next(upperBound: 10) {
        case 0..<4: return .deposited(Account.Deposited(amount: random.next(upperBound: 50_000) + 1))
        case 4..<7 where state.balance > 0: return .withdrawn(Account.Withdrawn(amount: random.next(upperBound: state.balance) + 1))
        case 7..<9: return .renamed(Account.Renamed(owner: ["Ada", "Grace", "Linus", "Zoë \"Z\" Ångström"][random.next(upperBound: 4)]))
        case 9 where state.status == .open && state.balance == 0: return .closed(Account.Closed())
        default: return .deposited(Account.Deposited(amount: 1))
        }
    }

    @Test("apply then inverse is the identity", arguments: 0..<20)
    func inverseIsIdentity(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var views = Views()
        var states: [Account.ID: Account.State] = [:]
        var position: Int64 = 0
        var checked = Set<String>()
        for step in 0..<300 {
            position += 1
            let context = EventContext(eventID: UUID(), position: position, streamVersion: 1,
                                       recordedAt: Date(timeIntervalSince1970: 1_767_225_600 + Double(step) * 3_600), actor: "test")
            let id: Account.ID
            let event: Account.Event
            if states.isEmpty || random.next(upperBound: 8) == 0 {
                id = Account.ID(UUID(uuid: random.uuid()))
                event = .opened(Account.Opened(owner: "Owner \(step)"))
            } else {
                id = states.keys.sorted()[random.next(upperBound: states.count)]
                event = Self.nextEvent(states[id] ?? Account.State(), using: &random)
            }
            let state = states[id] ?? Account.State()
            let recorded = state.capturing(event)
            // The law, on the state and on every view, before the event joins the history.
            try InverseLaw.checkState(state, event)
            try views.checkInverse(.account(id, recorded), context: context)
            // The inverse's inverse is the original.
            #expect(recorded.inverse?.inverse?.typeName == recorded.typeName)
            checked.insert(recorded.typeName)
            try states[id, default: Account.State()].apply(recorded)
            try views.project(.account(id, recorded), context: context)
        }
        #expect(checked.isSuperset(of: ["Account.Opened", "Account.Deposited", "Account.Withdrawn", "Account.Renamed"]))
        // The views agree with the states they summarise.
        for (id, state) in states {
            #expect(views.summary.row(id)?.balance == state.balance)
            #expect(views.summary.row(id)?.owner == state.owner)
        }
        #expect(views.totals.row.balance == states.values.reduce(0) { $0 + $1.balance })
    }

    @Test func everyEventTypeHasAnInverseOfTheRightKind() {
        let deposited = Account.Event.deposited(Account.Deposited(amount: 5))
        #expect(deposited.inverse == .withdrawn(Account.Withdrawn(amount: 5)))
        #expect(deposited.inverse?.inverse == deposited)
        let renamed = Account.State(owner: "Ada", balance: 0, status: .open).capturing(.renamed(Account.Renamed(owner: "Grace")))
        guard case .renamedReverted(let reverted)? = renamed.inverse else {
            Issue.record("Renamed should have a generated inverse")
            return
        }
        #expect(reverted.original.previous?.owner == "Ada")
        #expect(BankSchema.eventTypes.contains("Account.Renamed.Reverted"))
    }

    @Test func storedEventsDecodeByTypeName() throws {
        let id = Account.ID.make()
        let event = Account.State().capturing(.opened(Account.Opened(owner: "Ada")))
        let recorded = RecordedEvent(
            id: UUID(), type: event.typeName, schemaVersion: event.schemaVersion, stream: Account.State.stream(for: id), streamVersion: 1,
            position: 1, recordedAtNanoseconds: 0, correlationID: nil, causationID: nil, actor: nil, metadata: [:],
            payload: try event.encodedPayload())
        #expect(try BankEvent.decode(recorded) == .account(id, event))
        var newer = recorded
        newer.schemaVersion = 9
        #expect(throws: SchemaDecodingError.self) { try BankEvent.decode(newer) }
        var unknown = recorded
        unknown.type = "Loan.Granted"
        #expect(try BankEvent.decode(unknown) == nil)
    }
}

/// A small, seeded random generator (SplitMix64), so that failures reproduce.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(upperBound: Int) -> Int { Int(nextUInt64() % UInt64(max(1, upperBound))) }

    mutating func uuid() -> uuid_t {
        let a = nextUInt64(), b = nextUInt64()
        return (UInt8(truncatingIfNeeded: a), UInt8(truncatingIfNeeded: a >> 8), UInt8(truncatingIfNeeded: a >> 16), UInt8(truncatingIfNeeded: a >> 24),
                UInt8(truncatingIfNeeded: a >> 32), UInt8(truncatingIfNeeded: a >> 40), UInt8(truncatingIfNeeded: a >> 48), UInt8(truncatingIfNeeded: a >> 56),
                UInt8(truncatingIfNeeded: b), UInt8(truncatingIfNeeded: b >> 8), UInt8(truncatingIfNeeded: b >> 16), UInt8(truncatingIfNeeded: b >> 24),
                UInt8(truncatingIfNeeded: b >> 32), UInt8(truncatingIfNeeded: b >> 40), UInt8(truncatingIfNeeded: b >> 48), UInt8(truncatingIfNeeded: b >> 56))
    }
}

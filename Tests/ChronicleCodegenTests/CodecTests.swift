import Bank
import Chronicle
import Foundation
import Testing

/// The generated JSON codecs: exact round trips, and the same JSON as Foundation's coders.
@Suite("Generated codecs")
struct CodecTests {
    static let oddStrings = [
        "", "plain", "quote \" and backslash \\", "slash / and tab \t and newline \n and return \r", "control \u{1} \u{1F}",
        "unicode: Zoë Ångström, 東京, emoji 😀👩‍👩‍👧", "\u{7F} delete and \u{2028} separator", String(repeating: "long ", count: 200),
    ]
    static let extremeAmounts: [Money] = [0, 1, -1, Int.max, Int.min, 1_000_000_000_000]

    /// Every event of the example, with odd values and with its captured values filled in.
    static var events: [Account.Event] {
        var events: [Account.Event] = []
        let states = [Account.State(), Account.State(owner: "Ada \"the\" first", balance: Int.max, status: .closed)]
        for owner in oddStrings {
            events.append(.opened(Account.Opened(owner: owner)))
            events.append(.renamed(Account.Renamed(owner: owner)))
            events.append(.messageSent(Account.MessageSent(message: owner, channel: .email)))
        }
        for amount in extremeAmounts {
            events.append(.deposited(Account.Deposited(amount: amount)))
            events.append(.withdrawn(Account.Withdrawn(amount: amount)))
        }
        events.append(.closed(Account.Closed()))
        var all: [Account.Event] = []
        for event in events {
            all.append(event)  // without captured values (optional members absent)
            for state in states {
                let captured = state.capturing(event)
                all.append(captured)
                if let inverse = captured.inverse { all.append(inverse) }
            }
        }
        return all
    }

    @Test func everyEventRoundTrips() throws {
        let events = Self.events
        #expect(Set(events.map(\.typeName)) == Set(BankSchema.eventTypes))
        for event in events {
            let payload = try event.encodedPayload()
            let decoded = try Account.Event.decode(typeName: event.typeName, schemaVersion: event.schemaVersion, payload: payload)
            #expect(decoded == event, "\(event)")
        }
    }

    @Test func theGeneratedJSONIsFoundationsJSON() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        for event in Self.events {
            switch event {
            case .opened(let e):
                #expect(try decoder.decode(Account.Opened.self, from: Data(try e.jsonBytes())) == e)
                #expect(try Account.Opened(jsonBytes: Array(try encoder.encode(e))) == e)
            case .renamed(let e):
                #expect(try decoder.decode(Account.Renamed.self, from: Data(try e.jsonBytes())) == e)
                #expect(try Account.Renamed(jsonBytes: Array(try encoder.encode(e))) == e)
            case .renamedReverted(let e):
                #expect(try decoder.decode(Account.Renamed.Reverted.self, from: Data(try e.jsonBytes())) == e)
                #expect(try Account.Renamed.Reverted(jsonBytes: Array(try encoder.encode(e))) == e)
            case .deposited(let e):
                #expect(try decoder.decode(Account.Deposited.self, from: Data(try e.jsonBytes())) == e)
                #expect(try Account.Deposited(jsonBytes: Array(try encoder.encode(e))) == e)
            default:
                break
            }
        }
        let entry = Entry(kind: .withdrawal, amount: -5, at: Date(timeIntervalSince1970: 1_767_225_600.123456), position: Int64.max)
        #expect(try decoder.decode(Entry.self, from: Data(try entry.jsonBytes())) == entry)
        #expect(try Entry(jsonBytes: Array(try encoder.encode(entry))) == entry)
    }

    @Test func damagedPayloadsAreErrorsNotCrashes() {
        let payloads = ["", "{", "{\"amount\":}", "{\"amount\":1.5}", "{\"amount\":99999999999999999999}", "{\"owner\":\"unterminated}",
                        "{\"owner\":\"bad \\q escape\"}", "[]", "{\"amount\":1} trailing", "{\"owner\":\"\\ud83d\"}", "{}"]
        for payload in payloads {
            #expect(throws: SchemaDecodingError.self, "\(payload)") {
                _ = try Account.Event.decode(typeName: "Account.Deposited", schemaVersion: 1, payload: Array(payload.utf8))
                _ = try Account.Event.decode(typeName: "Account.Opened", schemaVersion: 1, payload: Array(payload.utf8))
            }
        }
    }
}

import Bank
import Chronicle
import Foundation

/// What reading old events costs: decoding Bank messages stored by version 1 (`Account.Notified`,
/// read through `formerly` and a declarative upcast) against the same messages stored by the
/// current version 2, in the same run. Events of the current version are decoded directly, so
/// only a log's old events pay.
enum UpcastBenchmarks {
    static func run() async throws {
        let count = 200_000
        let stream = Account.State.stream(for: Account.ID(UUID()))
        func recorded(_ type: String, _ version: Int32, _ payload: String, _ index: Int) -> RecordedEvent {
            RecordedEvent(id: UUID(), type: type, schemaVersion: version, stream: stream, streamVersion: Int64(index + 1), position: Int64(index + 1),
                          recordedAtNanoseconds: 0, correlationID: nil, causationID: nil, actor: nil, metadata: [:], payload: Array(payload.utf8))
        }
        let current = (0..<count).map { recorded("Account.MessageSent", 2, #"{"message":"Statement \#($0) is ready","channel":"letter"}"#, $0) }
        let old = (0..<count).map { recorded("Account.Notified", 1, #"{"message":"Statement \#($0) is ready"}"#, $0) }
        func decodeAll(_ events: [RecordedEvent]) throws {
            var letters = 0
            for event in events {
                if case .account(_, .messageSent(let sent))? = try BankEvent.decode(event), sent.channel == .letter { letters += 1 }
            }
            guard letters == events.count else { throw PayloadUpcastError(reason: "decoded \(letters) of \(events.count) messages") }
        }
        let direct = try await Measure.median(runs: 5) { try decodeAll(current) }
        let upcast = try await Measure.median(runs: 5) { try decodeAll(old) }
        Measure.report("upcast.decode.current_version", Double(count) / direct, "events/s")
        Measure.report("upcast.decode.version_1_upcast", Double(count) / upcast, "events/s")
        Measure.report("upcast.decode.cost", upcast / direct, "x the time of a current-version decode (same run)")
    }
}

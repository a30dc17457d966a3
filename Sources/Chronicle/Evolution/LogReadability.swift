/// Whether this build can read every event of a store: what a deployment pipeline asks before
/// a new schema meets production's log.
///
/// ``check(_:in:batchSize:)`` decodes every event, in order, with the module's generated
/// decoder (upcasts, former names and all), and stops at the first one it cannot read.
public struct LogReadability: Sendable {
    /// The first event that could not be read.
    public struct Failure: Sendable, CustomStringConvertible {
        /// Its position in the log.
        public var position: Int64
        /// The type name it is stored under.
        public var type: String
        /// The schema version that wrote it.
        public var schemaVersion: Int32
        /// Why it cannot be read.
        public var reason: String

        public var description: String { "position \(position): \(type) (version \(schemaVersion)): \(reason)" }
    }

    /// The events read before the first failure (all of them, when there is none).
    public var eventsRead: Int64
    /// The first event that could not be read, or `nil` when every one was.
    public var failure: Failure?
    /// How many events were read through an upcast or a former name, by the type and version
    /// they are stored under (`Account.Notified v1`).
    public var upcast: [String: Int]

    /// Decodes every event of `store` as `Event` would.
    /// - Throws: only the store's errors; an unreadable event is reported in ``failure``.
    public static func check<Event: ModuleEvent>(_ type: Event.Type, in store: any EventStore, batchSize: Int = 1_024) async throws -> LogReadability {
        var result = LogReadability(eventsRead: 0, failure: nil, upcast: [:])
        var next: Int64 = 1
        while true {
            let batch = try await store.readAll(from: next, direction: .forward, limit: max(1, batchSize))
            guard let last = batch.last else { return result }
            for recorded in batch {
                do {
                    guard let event = try Event.decode(recorded) else {
                        result.failure = Failure(position: recorded.position, type: recorded.type, schemaVersion: recorded.schemaVersion,
                                                 reason: "no event of the schema is stored under this name")
                        return result
                    }
                    if event.typeName != recorded.type || event.schemaVersion != recorded.schemaVersion {
                        result.upcast["\(recorded.type) v\(recorded.schemaVersion)", default: 0] += 1
                    }
                } catch let error as SchemaDecodingError {
                    result.failure = Failure(position: recorded.position, type: recorded.type, schemaVersion: recorded.schemaVersion, reason: error.reason)
                    return result
                } catch {
                    result.failure = Failure(position: recorded.position, type: recorded.type, schemaVersion: recorded.schemaVersion, reason: "\(error)")
                    return result
                }
                result.eventsRead += 1
            }
            next = last.position + 1
        }
    }
}

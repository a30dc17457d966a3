import Chronicle
import ChronicleTerminal
import Foundation

/// Builds JSON text by hand: the CLI prints events as they are, with keys in a fixed order.
struct JSONText {
    private(set) var text = "{"
    private var first = true

    /// A JSON string literal, escaped by the runtime's JSON writer.
    static func quoted(_ string: String) -> String {
        var writer = JSONWriter()
        writer.write(string)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    mutating func raw(_ key: String, _ json: String) {
        text += (first ? "" : ",") + JSONText.quoted(key) + ":" + json
        first = false
    }

    mutating func string(_ key: String, _ value: String?) {
        raw(key, value.map(JSONText.quoted) ?? "null")
    }

    mutating func number<T: BinaryInteger>(_ key: String, _ value: T?) {
        raw(key, value.map { "\($0)" } ?? "null")
    }

    func finished() -> String { text + "}" }

    /// One event as a JSON object: its envelope, and its payload (as JSON when it is JSON, else
    /// as base64 under `payloadBase64`).
    ///
    /// With `currentType` and `currentVersion` given (from `--schema`), the name and version the
    /// event has now follow the stored ones (`null` for a type the schemas do not know).
    static func event(_ event: RecordedEvent, currentType: String?? = nil, currentVersion: Int?? = nil) -> String {
        var json = JSONText()
        json.number("position", event.position)
        json.string("stream", event.stream.name)
        json.number("streamVersion", event.streamVersion)
        json.string("type", event.type)
        json.number("schemaVersion", event.schemaVersion)
        if let currentType { json.string("currentType", currentType) }
        if let currentVersion { json.number("currentVersion", currentVersion) }
        json.string("id", event.id.uuidString)
        json.string("recordedAt", Output.timestamp(event.recordedAt))
        json.string("correlationId", event.correlationID?.uuidString)
        json.string("causationId", event.causationID?.uuidString)
        json.string("actor", event.actor)
        var metadata = JSONText()
        for key in event.metadata.keys.sorted() { metadata.string(key, event.metadata[key]) }
        json.raw("metadata", metadata.finished())
        let data = Data(event.payload)
        if !event.payload.isEmpty, (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) != nil {
            json.raw("payload", String(decoding: event.payload, as: UTF8.self))
        } else {
            json.string("payloadBase64", data.base64EncodedString())
        }
        return json.finished()
    }
}

import Foundation

/// Where the command audit log is kept: every command, accepted or not, as an ``AuditEntry``.
/// ``AuditLog`` keeps it in files beside a flat-file store; a database backend keeps it in a
/// table. The audit log is a record for people, not the source of truth: a recorder that fails
/// to write says so (once) and never fails the command.
public protocol AuditRecorder: Sendable {
    /// Records an entry; failures are reported, not thrown.
    func write(_ entry: AuditEntry) async
    /// The entries from `since` on (all when `nil`), oldest first, only those that recorded
    /// nothing when `rejectedOnly` is set.
    func entries(since: Date?, rejectedOnly: Bool) async throws -> [AuditEntry]
}

extension AuditEntry {
    /// The entry as one line of JSON (keys sorted, dates in ISO 8601), as audit logs store it.
    public func jsonLine() throws -> String {
        String(decoding: try AuditEntry.encoder.encode(self), as: UTF8.self)
    }

    /// Reads an entry from its JSON line.
    public init(jsonLine: String) throws {
        self = try AuditEntry.decoder.decode(AuditEntry.self, from: Data(jsonLine.utf8))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

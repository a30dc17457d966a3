import Foundation

/// Where a read side keeps its views between processes, instead of files in a folder: a
/// database that other machines' read sides share and other programs query (see
/// `PostgresViewStorage`). Set it in ``ViewStoreOptions/storage``.
///
/// Storage is a head start, as files are: a view that is not there, or not of the current
/// definition, is rebuilt from the log; a view that is not of this log (its last event is not
/// the log's at its position) is rebuilt too. A storage only keeps and returns what it was given.
public protocol ViewStorage: Sendable {
    /// The stored copy of the view `name`, or `nil` when there is none.
    /// - Throws: when the storage cannot be read; the view is then rebuilt from the log.
    func load(_ name: String, indexedFields: [String]) async throws -> StoredView?
    /// Replaces the stored copy of a view. A storage shared by several read sides keeps the
    /// copy of the furthest position.
    func save(_ view: StoredView, indexedFields: [String]) async throws
}

/// A view as a ``ViewStorage`` keeps it: its JSON with what ties it to its definition and log.
public struct StoredView: Hashable, Sendable {
    /// The view's name (its type's name).
    public var name: String
    /// The view definition's fingerprint when it was saved.
    public var fingerprint: String
    /// The last log position it reflects.
    public var position: Int64
    /// The id of the event at ``position`` (`nil` at position 0).
    public var lastEventID: UUID?
    /// The view as JSON: a list of rows for a keyed view, an object for a view with one row.
    public var body: [UInt8]

    /// Creates a stored view.
    public init(name: String, fingerprint: String, position: Int64, lastEventID: UUID?, body: [UInt8]) {
        self.name = name
        self.fingerprint = fingerprint
        self.position = position
        self.lastEventID = lastEventID
        self.body = body
    }
}

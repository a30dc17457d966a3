import Foundation
import Synchronization

/// One view kept in memory, with the log position it reflects, persisted to a file of its own.
///
/// The file (`NAME.view`) holds a header line
/// `chronicle-view 2 FINGERPRINT POSITION EVENTID CRC32C` and the view as JSON, where `EVENTID`
/// is the id of the event at `POSITION` (`-` at position 0) and the checksum covers the header
/// and the view. It is replaced atomically, so a crash while persisting leaves the previous
/// complete file.
public final class ViewHost<View: Projection>: ViewHosting, Sendable where View.Event: ModuleEvent {
    private struct State: Sendable {
        var view: View
        var position: Int64
        var lastEventID: UUID?
        var unsaved = 0
        var failure: ViewFailure?
    }

    /// The view's name (its type's name), which names its file.
    public let name: String
    private let path: String?
    private let state: Mutex<State>
    /// Why the view's file was not used when it was opened, when it was there.
    public let fileProblem: String?

    /// Loads the view from `folder` when its file is there, intact and of the current
    /// fingerprint; otherwise starts it empty, to be rebuilt from the log (``fileProblem`` says
    /// why, unless the file was simply missing). `nil` keeps it in memory only.
    public init(folder: String?) {
        name = String(describing: View.self)
        path = folder.map { $0 + "/" + String(describing: View.self) + ".view" }
        var start = State(view: View(), position: 0)
        var problem: String?
        if let path {
            switch ChecksummedFile.read(path, magic: "chronicle-view", fieldCount: 4) {
            case .missing:
                break
            case .damaged(let reason):
                problem = "\(path): \(reason)"
            case .intact(let fields, let body):
                if fields[0] != "2" {
                    problem = "\(path): format \(fields[0]) is not known"
                } else if fields[1] != View.fingerprint {
                    problem = "\(path): the view's definition changed"
                } else if let position = Int64(fields[2]), position >= 0, fields[3] == "-" ? position == 0 : UUID(uuidString: fields[3]) != nil {
                    do {
                        start = State(view: try ChronicleJSON.decode(View.self, from: body), position: position, lastEventID: UUID(uuidString: fields[3]))
                    } catch {
                        problem = "\(path): the view does not decode: \(error)"
                    }
                } else {
                    problem = "\(path): the position or event id is not valid"
                }
            }
        }
        fileProblem = problem
        state = Mutex(start)
    }

    /// The view as it is now (a copy that does not change).
    public var current: View { state.withLock { $0.view } }

    /// The view with the position it reflects, read together.
    var currentWithPosition: (view: View, position: Int64) { state.withLock { ($0.view, $0.position) } }

    public var position: Int64 { state.withLock { $0.position } }

    @_spi(Generated) public func project(_ event: View.Event, effect: ViewEffect, context: EventContext, at position: Int64, recordedID: UUID) {
        state.withLock { state in
            // Each event once: a position the view already reflects is skipped. A stopped view
            // stays where it stopped.
            guard position > state.position, state.failure == nil else { return }
            do {
                // Generated views change only when the whole event projects.
                try state.view.project(event, effect: effect, context: context)
            } catch {
                state.failure = ViewFailure(view: name, eventType: event.typeName, position: position, reason: "\(error)", underlying: error)
                return
            }
            state.position = position
            // The recorded event's own id: a revert's context presents the event it undoes.
            state.lastEventID = recordedID
            state.unsaved += 1
        }
    }

    public var lastEventID: UUID? { state.withLock { $0.lastEventID } }

    public var failure: ViewFailure? { state.withLock { $0.failure } }

    @_spi(Generated) public func advance(to position: Int64, eventID: UUID) {
        state.withLock { state in
            if position > state.position, state.failure == nil {
                state.position = position
                state.lastEventID = eventID
                state.unsaved += 1
            }
        }
    }

    @_spi(Generated) public func reset() {
        state.withLock { $0 = State(view: View(), position: 0, unsaved: 1) }
    }

    @_spi(Generated) public var unsavedEvents: Int { state.withLock { $0.unsaved } }

    @_spi(Generated) public func load(from storage: any ViewStorage) async -> String? {
        let stored: StoredView
        do {
            guard let found = try await storage.load(name, indexedFields: View.indexedFields) else { return nil }
            stored = found
        } catch {
            return "its stored copy could not be read: \(error)"
        }
        guard stored.fingerprint == View.fingerprint else { return "the view's definition changed" }
        guard stored.position >= 0, (stored.position == 0) == (stored.lastEventID == nil) else { return "the stored position or event id is not valid" }
        do {
            let view = try ChronicleJSON.decode(View.self, from: stored.body)
            state.withLock { $0 = State(view: view, position: stored.position, lastEventID: stored.lastEventID) }
            return nil
        } catch {
            return "its stored copy does not decode: \(error)"
        }
    }

    @_spi(Generated) public func persist(to storage: any ViewStorage) async throws {
        let (view, position, eventID, unsaved) = state.withLock { ($0.view, $0.position, $0.lastEventID, $0.unsaved) }
        guard unsaved > 0 else { return }
        let stored = StoredView(name: name, fingerprint: View.fingerprint, position: position, lastEventID: eventID, body: try ChronicleJSON.encode(view))
        try await storage.save(stored, indexedFields: View.indexedFields)
        state.withLock { state in
            if state.position == position { state.unsaved = 0 }
        }
    }

    @_spi(Generated) public func persist() throws {
        guard let path else { return }
        let (view, position, eventID, unsaved) = state.withLock { ($0.view, $0.position, $0.lastEventID, $0.unsaved) }
        guard unsaved > 0 else { return }
        try ChecksummedFile.write(path, magic: "chronicle-view", fields: ["2", View.fingerprint, String(position), eventID?.uuidString ?? "-"],
                                  body: try ChronicleJSON.encode(view), durable: true)
        state.withLock { state in
            // Events projected while writing stay unsaved.
            if state.position == position { state.unsaved = 0 }
        }
    }
}

/// A view host, whatever its view: what the ``ViewStore`` drives.
///
/// What changes a view (projecting, advancing, resetting, persisting) is for the ``ViewStore``
/// and generated code alone: those requirements are `@_spi(Generated)`.
public protocol ViewHosting<Event>: Sendable {
    /// The module's event type.
    associatedtype Event: ModuleEvent
    /// The view's name.
    var name: String { get }
    /// The last log position the view reflects.
    var position: Int64 { get }
    /// The id of the event at ``position`` (`nil` at position 0): what ties the view to its log.
    var lastEventID: UUID? { get }
    /// Why the view's file was not used when it was opened (damaged, edited, of another
    /// definition), when it was there.
    var fileProblem: String? { get }
    /// Projects the event recorded at `position` with the id `recordedID` (skipped when the view
    /// already reflects it). An event the view cannot project stops the view (see ``failure``).
    @_spi(Generated) func project(_ event: Event, effect: ViewEffect, context: EventContext, at position: Int64, recordedID: UUID)
    /// Why the view stopped, when it did; it then keeps its last good state.
    var failure: ViewFailure? { get }
    /// Notes that the view reflects the log up to `position`, where the event `eventID` is (for
    /// events it does not handle).
    @_spi(Generated) func advance(to position: Int64, eventID: UUID)
    /// Empties the view, to rebuild it from the log.
    @_spi(Generated) func reset()
    /// Events projected since the last persist.
    @_spi(Generated) var unsavedEvents: Int { get }
    /// Writes the view to its file, atomically.
    @_spi(Generated) func persist() throws
    /// Replaces the view with its copy in `storage` when that copy is of the current definition;
    /// returns why it was not used, when it was there.
    @_spi(Generated) func load(from storage: any ViewStorage) async -> String?
    /// Saves the view to `storage`.
    @_spi(Generated) func persist(to storage: any ViewStorage) async throws
}

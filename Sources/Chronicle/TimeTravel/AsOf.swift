import Foundation

/// How an as-of state was computed.
public enum AsOfPath: String, Sendable, Hashable {
    /// From the current state, undoing the events after the position, newest first.
    case walkBack
    /// From the start (or a snapshot before the position), applying the events up to it.
    case replay
}

extension CommandProcessor {
    /// An aggregate's state as it was when the log ended at `position`.
    ///
    /// With `path` left out, the cheaper way is taken: walking back from the current state by
    /// applying the inverses of the events after `position` (cost proportional to those events),
    /// or replaying from the start or a snapshot. Both give the same state; walking back is not
    /// possible across an irreversible event, and then the state is replayed.
    public func state<State: AggregateState>(_ type: State.Type, id: State.ID, asOf position: Int64, path: AsOfPath? = nil) async throws -> PastState<State> {
        let stream = State.stream(for: id)
        let loaded = try await load(type, id: id)
        let (current, version) = (loaded.state, loaded.version)
        // The events after the position, newest first.
        var later: [RecordedEvent] = []
        var next = version
        while next > 0 {
            let page = try await store.readStream(stream, from: next, direction: .backward, limit: 1_024)
            let after = page.prefix { $0.position > position }
            later += after
            if after.count < page.count || page.count < 1_024 { break }
            next = (page.last?.streamVersion ?? 1) - 1
        }
        let versionAtPosition = version - Int64(later.count)
        let preferWalkBack = path.map { $0 == .walkBack } ?? (Int64(later.count) <= versionAtPosition)
        if preferWalkBack {
            var state = current
            var reversible = true
            for recorded in later {
                guard let event = try State.Event.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload) else {
                    throw CommandError.foreignEvent(stream: stream, type: recorded.type)
                }
                guard let inverse = event.inverse else {
                    reversible = false
                    break
                }
                try state.apply(inverse)
            }
            if reversible { return PastState(state: state, version: versionAtPosition, path: .walkBack) }
        }
        var start = State()
        var from: Int64 = 0
        // Only a snapshot the processor would trust: of this definition and of this very log.
        if case .usable(let decoded, let version) = try await loadSnapshot(State.self, stream: stream), version <= versionAtPosition {
            start = decoded
            from = version
        }
        var state = start
        var at = from
        while at < versionAtPosition {
            let page = try await store.readStream(stream, from: at + 1, direction: .forward, limit: Int(min(1_024, versionAtPosition - at)))
            guard !page.isEmpty else { break }
            for recorded in page {
                guard let event = try State.Event.decode(typeName: recorded.type, schemaVersion: recorded.schemaVersion, payload: recorded.payload) else {
                    throw CommandError.foreignEvent(stream: stream, type: recorded.type)
                }
                try state.apply(event)
                at = recorded.streamVersion
            }
        }
        return PastState(state: state, version: versionAtPosition, path: .replay)
    }
}

extension ViewHost {
    /// The view as it was when the log ended at `position`: walked back from the current view
    /// by undoing the later events' effects, newest first, or replayed from the start — the
    /// cheaper way (or the one asked for). Undoing stops at an irreversible event: then it replays.
    public func view(asOf position: Int64, in store: any EventStore, path: AsOfPath? = nil) async throws -> PastView<View> {
        let (current, reached) = currentWithPosition
        let target = min(position, reached)
        let preferWalkBack = path.map { $0 == .walkBack } ?? (reached - target <= target)
        if preferWalkBack {
            var view = current
            var next = reached
            var reversible = true
            walking: while next > target {
                let page = try await store.readAll(from: next, direction: .backward, limit: Int(min(4_096, next - target)))
                guard !page.isEmpty else { break }
                for recorded in page {
                    guard let event = try View.Event.decode(recorded) else { continue }
                    if event.inverse == nil {
                        reversible = false
                        break walking
                    }
                    try view.project(event, effect: ViewEffect(of: recorded).reversed, context: EventContext(forViewsOf: recorded))
                }
                next = (page.last?.position ?? 1) - 1
            }
            if reversible { return PastView(view: view, position: target, path: .walkBack) }
        }
        var view = View()
        var next: Int64 = 1
        while next <= target {
            let page = try await store.readAll(from: next, direction: .forward, limit: Int(min(4_096, target - next + 1)))
            guard let last = page.last else { break }
            for recorded in page {
                guard let event = try View.Event.decode(recorded) else { continue }
                try view.project(event, effect: ViewEffect(of: recorded), context: EventContext(forViewsOf: recorded))
            }
            next = last.position + 1
        }
        return PastView(view: view, position: target, path: .replay)
    }

    /// How projecting `events` would change the view, row by row (as JSON).
    public func preview(_ events: [ProjectedEvent<View.Event>]) throws -> ViewDifference {
        let before = current
        var after = before
        for item in events { try after.project(item.event, effect: item.effect, context: item.context) }
        return try ViewDifference(view: name, before: before, after: after)
    }
}

/// How a revert would change one view: the rows (by id, or the single row) before and after.
public struct ViewDifference: Hashable, Sendable, Codable {
    /// One changed row; `nil` on a side where the row does not exist.
    public struct Row: Hashable, Sendable, Codable {
        /// The row's id, or `row` for a view with a single row.
        public var key: String
        /// The row now, as JSON.
        public var before: String?
        /// The row after the revert, as JSON.
        public var after: String?
    }

    /// The view's name.
    public var view: String
    /// The rows that change.
    public var rows: [Row]

    init<View: Projection>(view name: String, before: View, after: View) throws {
        view = name
        func rows(_ view: View) throws -> [String: String] {
            let object = try JSONSerialization.jsonObject(with: Data(try ChronicleJSON.encode(view)), options: [.fragmentsAllowed])
            func text(_ value: Any) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]), as: UTF8.self)
            }
            if let list = object as? [[String: Any]] {
                var byKey: [String: String] = [:]
                for row in list { byKey["\(row["id"] ?? "?")"] = try text(row) }
                return byKey
            }
            if let single = object as? [String: Any] { return ["row": try text(single["row"] ?? single)] }
            return ["row": try text(object)]
        }
        let old = try rows(before), new = try rows(after)
        self.rows = Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key] ? nil : Row(key: key, before: old[key], after: new[key])
        }
    }
}

/// An `AsyncSequence` of recorded events that catches up from a position and then follows new
/// appends. Create one with ``EventStore/subscribe(from:pageSize:)``.
///
/// Events arrive in global order, each exactly once, and only once their batch is durable. The
/// sequence ends (returns `nil`) when the iterating task is cancelled.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = RecordedEvent

    let store: any EventStore
    let start: Int64
    let pageSize: Int

    init(store: any EventStore, from position: Int64, pageSize: Int) {
        self.store = store
        self.start = Swift.max(1, position)
        self.pageSize = Swift.max(1, pageSize)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(store: store, next: start, pageSize: pageSize)
    }

    /// Iterates a subscription.
    public struct Iterator: AsyncIteratorProtocol {
        let store: any EventStore
        var next: Int64
        let pageSize: Int
        var buffer: [RecordedEvent] = []
        var index = 0

        init(store: any EventStore, next: Int64, pageSize: Int) {
            self.store = store
            self.next = next
            self.pageSize = pageSize
        }

        /// The next event, waiting for one to be appended when the subscription has caught up.
        public mutating func next() async throws -> RecordedEvent? {
            while index == buffer.count {
                if Task.isCancelled { return nil }
                do {
                    let page = try await store.readAll(from: next, direction: .forward, limit: pageSize)
                    if page.isEmpty {
                        try await store.waitForEvents(after: next - 1)
                        continue
                    }
                    buffer = page
                    index = 0
                } catch is CancellationError {
                    // A store whose reads stop when the task is cancelled: the sequence ends.
                    return nil
                }
            }
            let event = buffer[index]
            index += 1
            next = event.position + 1
            return event
        }
    }
}

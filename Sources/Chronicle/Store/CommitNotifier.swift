import Synchronization

/// Wakes tasks waiting for the log to grow past a position: what
/// ``EventStore/waitForEvents(after:)`` is built on. Shared by the stores, and public for other
/// backends.
public final class CommitNotifier: Sendable {
    private struct Waiter {
        let after: Int64
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var head: Int64
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state: Mutex<State>

    /// Creates a notifier whose log ends at `head`.
    public init(head: Int64) { state = Mutex(State(head: head)) }

    /// The last position announced.
    public var head: Int64 { state.withLock { $0.head } }

    /// Announces that the log now ends at `head`, waking every waiter it satisfies.
    public func publish(head: Int64) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
            guard head > state.head else { return [] }
            state.head = head
            var ready: [CheckedContinuation<Void, Never>] = []
            for (id, waiter) in state.waiters where waiter.after < head {
                ready.append(waiter.continuation)
                state.waiters[id] = nil
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Wakes every waiter, e.g. when the store closes.
    public func wakeAll() {
        let all = state.withLock { state in
            defer { state.waiters.removeAll() }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in all { continuation.resume() }
    }

    /// Returns when the head passes `position`, or when the task is cancelled.
    public func wait(after position: Int64) async {
        let id: Int = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.head > position || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(after: position, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.continuation.resume()
        }
    }
}

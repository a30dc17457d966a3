import Foundation
import Synchronization

/// Threads of Chronicle's own for blocking file work: reads with `pread`, scans of segment files,
/// `fsync`, the audit log and snapshot files.
///
/// Swift's cooperative thread pool has one thread per core (two on a small server). A task that
/// blocks one of them in a system call stalls every other task scheduled there, timers included;
/// so async APIs of the runtime hand blocking work to these threads and suspend until it is done.
/// The pool's threads are created on first use and live as long as the process.
public final class BlockingIOPool: Sendable {
    /// The pool the runtime uses: four threads, or as many as the environment variable
    /// `CHRONICLE_IO_THREADS` says. `0` runs blocking work on the calling task's thread instead,
    /// which only makes sense to measure what the pool is worth.
    public static let shared = BlockingIOPool(
        threads: ProcessInfo.processInfo.environment["CHRONICLE_IO_THREADS"].flatMap { Int($0) } ?? 4)

    private struct State {
        /// Queued work from `head` on; taken in order without shifting the array each time.
        var work: [@Sendable () -> Void] = []
        var head = 0
        var started = false

        mutating func next() -> (@Sendable () -> Void)? {
            guard head < work.count else { return nil }
            let item = work[head]
            head += 1
            if head == work.count {
                work.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 256, head * 2 >= work.count {
                // Under a steady load the queue may never run empty: drop what was taken.
                work.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    private let threadCount: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Creates a pool of `threads` threads, started on first use; with `0`, work runs on the
    /// caller's thread.
    public init(threads: Int) {
        threadCount = max(0, threads)
    }

    /// Runs `body` on one of the pool's threads and returns its result, suspending the caller
    /// (not blocking its thread) meanwhile.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if threadCount == 0 { return try body() }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body`, which cannot fail, on one of the pool's threads.
    public func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        if threadCount == 0 { return body() }
        return await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            submit { continuation.resume(returning: body()) }
        }
    }

    private func submit(_ work: @escaping @Sendable () -> Void) {
        let start = state.withLock { state -> Bool in
            state.work.append(work)
            defer { state.started = true }
            return !state.started
        }
        if start {
            for number in 0..<threadCount {
                let thread = Thread { [self] in loop() }
                thread.name = "chronicle.io-\(number)"
                thread.start()
            }
        }
        available.signal()
    }

    private func loop() {
        while true {
            available.wait()
            let work = state.withLock { $0.next() }
            work?()
        }
    }
}

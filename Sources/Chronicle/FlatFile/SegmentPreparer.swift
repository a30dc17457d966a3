import Dispatch
import Synchronization

/// Prepares the writer's next segment file in the background (header and zeros, under a
/// temporary name) once the current one is half full, so that moving on to a new segment costs
/// the writer only a rename.
///
/// It does so only while the disk has room for two more segments: on a nearly full disk the
/// space is left to the current segment, views and snapshots, and the next segment is created
/// when it is needed (and fails then, if there is no room for it).
final class SegmentPreparer: Sendable {
    private let layout: StoreLayout
    private let size: Int
    private let prepared = Mutex<[Int: Result<LogFile, any Error>]>([:])
    private let requested = Mutex(0)
    private let running = DispatchGroup()

    init(layout: StoreLayout, size: Int) {
        self.layout = layout
        self.size = size
    }

    /// Starts preparing segment `number`, unless that was already asked for.
    func prepare(_ number: Int) {
        let isNew = requested.withLock { requested in
            defer { requested = max(requested, number) }
            return number > requested
        }
        guard isNew, layout.freeBytes().map({ $0 >= 2 * Int64(size) }) ?? true else { return }
        running.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            let result = Result { try layout.prepareSegmentFile(number, size: size) }
            prepared.withLock { $0[number] = result }
            running.leave()
        }
    }

    /// Puts segment `number` in place, prepared if possible, created now otherwise.
    func install(_ number: Int) throws -> Segment {
        running.wait()
        let ready = prepared.withLock { $0.removeValue(forKey: number) }
        // A failed preparation (say, a full disk) is tried again here, so the error is current.
        let file = try (try? ready?.get()) ?? layout.prepareSegmentFile(number, size: size)
        return try layout.installSegment(number, file: file)
    }

    /// Waits for a preparation in progress to finish.
    func wait() { running.wait() }
}

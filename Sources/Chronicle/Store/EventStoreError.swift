/// Errors an ``EventStore`` reports. An append that throws recorded nothing.
public enum EventStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The stream's version was not the one the writer expected; nothing was recorded.
    /// `actual` is 0 when the stream has no events.
    case wrongExpectedVersion(stream: StreamID, expected: ExpectedVersion, actual: Int64)
    /// The batch is not well formed (empty, a stream named twice, a name too long…); nothing was recorded.
    case invalidBatch(String)
    /// Another process holds the store's write lock.
    case locked(path: String, holder: String)
    /// The log is damaged at a byte offset; the store refuses to open rather than skip data.
    case corrupted(file: String, offset: Int64, reason: String)
    /// An operating-system call failed (disk full, permissions…); for an append, nothing was recorded.
    case io(operation: String, path: String, errno: Int32, message: String)
    /// The store was opened read-only, or has been closed.
    case notWritable(String)
    /// The folder holds no store, or one in a format this version does not read.
    case notAStore(path: String, reason: String)

    public var description: String {
        switch self {
        case let .wrongExpectedVersion(stream, expected, actual):
            return "version conflict on stream '\(stream)': expected \(expected), actual version \(actual)"
        case let .invalidBatch(reason):
            return "invalid batch: \(reason)"
        case let .locked(path, holder):
            return "\(path): the store is already open for writing by \(holder); only one writer at a time"
        case let .corrupted(file, offset, reason):
            return "\(file): byte offset \(offset): damaged log: \(reason)"
        case let .io(operation, path, errno, message):
            return "\(path): \(operation) failed: \(message) (errno \(errno))"
        case let .notWritable(reason):
            return "store not writable: \(reason)"
        case let .notAStore(path, reason):
            return "\(path): not a Chronicle store: \(reason)"
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file of the store, with the few POSIX calls the store needs, each turning a failure into
/// ``EventStoreError/io(operation:path:errno:message:)``. The descriptor closes when the last
/// reference goes away, so a read in flight never sees it closed under it.
final class LogFile: Sendable {
    let path: String
    let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { _ = close(descriptor) }

    static func open(_ path: String, writable: Bool, create: Bool = false) throws -> LogFile {
        var flags = writable ? O_RDWR : O_RDONLY
        if create { flags |= O_CREAT }
        flags |= O_CLOEXEC
        let descriptor = Glibc.open(path, flags, 0o644)
        guard descriptor >= 0 else { throw LogFile.error("open", path) }
        return LogFile(path: path, descriptor: descriptor)
    }

    static func error(_ operation: String, _ path: String, errno code: Int32 = errno) -> EventStoreError {
        let message = String(cString: strerror(code))
        return .io(operation: operation, path: path, errno: code, message: message)
    }

    func size() throws -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw LogFile.error("fstat", path) }
        return Int64(info.st_size)
    }

    /// Reads exactly `count` bytes at `offset`, fewer only at the end of the file.
    func read(count: Int, at offset: Int64) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var total = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while total < count {
                let result = pread(descriptor, buffer.baseAddress! + total, count - total, off_t(offset) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    initialized = total
                    throw LogFile.error("read", path)
                }
                if result == 0 { break }
                total += result
            }
            initialized = total
        }
        return bytes
    }

    /// Reads exactly `count` bytes at `offset` into `buffer` (fewer only at the end of the file),
    /// reusing its storage when it already holds `count` bytes: reads of one size in a row
    /// allocate once.
    func read(into buffer: inout [UInt8], count: Int, at offset: Int64) throws {
        guard count > 0 else {
            buffer = []
            return
        }
        if buffer.count != count {
            buffer = [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
                memset(storage.baseAddress!, 0, count)
                initialized = count
            }
        }
        var failure: (any Error)?
        let total = buffer.withUnsafeMutableBytes { raw -> Int in
            var total = 0
            while total < count {
                let result = pread(descriptor, raw.baseAddress! + total, count - total, off_t(offset) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = LogFile.error("read", path)
                    break
                }
                if result == 0 { break }
                total += result
            }
            return total
        }
        if let failure { throw failure }
        if total < count { buffer = Array(buffer[..<total]) }
    }

    /// Writes all of `bytes` at `offset`, retrying short writes; a failure after a short write
    /// leaves a partial tail for the caller to cut.
    func write(_ bytes: [UInt8], at offset: Int64) throws {
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let result = pwrite(descriptor, raw.baseAddress! + written, raw.count - written, off_t(offset) + off_t(written))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw LogFile.error("write", path)
                }
                written += result
            }
        }
    }

    /// Writes `count` zero bytes at `offset`, a megabyte at a time.
    func writeZeros(at offset: Int64, count: Int64) throws {
        let zeros = [UInt8](repeating: 0, count: Int(min(count, 1 << 20)))
        var written: Int64 = 0
        while written < count {
            let chunk = Int(min(Int64(zeros.count), count - written))
            try write(chunk == zeros.count ? zeros : Array(zeros[0..<chunk]), at: offset + written)
            written += Int64(chunk)
        }
    }

    /// Flushes written data to the disk (`fdatasync`).
    func syncData() throws {
        while fdatasync(descriptor) != 0 {
            if errno != EINTR { throw LogFile.error("fdatasync", path) }
        }
    }

    /// Flushes data and metadata (`fsync`); used for directories and new files.
    func sync() throws {
        while fsync(descriptor) != 0 {
            if errno != EINTR { throw LogFile.error("fsync", path) }
        }
    }

    func truncate(to size: Int64) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw LogFile.error("truncate", path) }
    }

    /// Takes an exclusive advisory lock without waiting; returns false when another process holds it.
    func tryLock() throws -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw LogFile.error("flock", path)
    }

    /// Releases a lock taken with ``tryLock()``.
    func unlock() {
        _ = flock(descriptor, LOCK_UN)
    }

    /// Flushes a directory's entries, so that a file created or removed in it survives a crash.
    static func syncDirectory(_ path: String) throws {
        let directory = try LogFile.open(path, writable: false)
        try directory.sync()
    }
}

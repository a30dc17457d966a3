import Foundation

extension EventStoreError {
    /// An ``io(operation:path:errno:message:)`` error for a failed Foundation file operation,
    /// with the operating system's error number and message that Foundation wraps, so that the
    /// cause (`ENOSPC`, `EACCES`, `ENOTDIR`…) survives; the Foundation error's own description
    /// when it wraps none.
    static func io(operation: String, path: String, underlying error: any Error) -> EventStoreError {
        if let code = operatingSystemErrorNumber(of: error) {
            return .io(operation: operation, path: path, errno: code, message: String(cString: strerror(code)))
        }
        return .io(operation: operation, path: path, errno: 0, message: "\(error)")
    }

    /// The `errno` an error carries, directly or as the error it wraps.
    private static func operatingSystemErrorNumber(of error: any Error, depth: Int = 0) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain, let code = Int32(exactly: bridged.code) { return code }
        // Wrapped errors nest shallowly; the bound keeps a cyclic chain from looping.
        guard depth < 8, let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? any Error else { return nil }
        return operatingSystemErrorNumber(of: underlying, depth: depth + 1)
    }
}

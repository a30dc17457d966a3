import Chronicle
import Foundation

/// A fresh folder under the system's temporary directory, removed when the value goes away.
public final class TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// Creates a fresh folder.
    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("chronicle-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the folder.
    public func sub(_ name: String) -> String { path + "/" + name }
}

extension FlatFileStoreOptions {
    /// Small segments: tests create many stores, and cross segment boundaries sooner.
    public static var testing: FlatFileStoreOptions { FlatFileStoreOptions(segmentSize: 256 << 10) }
}

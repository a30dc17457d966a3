import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small file system of its own (a `tmpfs` of a few megabytes), to fill up: what a full disk
/// does to the store is tested on it. Mounting needs root (CI runs as root); where it is not
/// allowed, the tests that need it are skipped with ``unavailableReason`` as their message.
public final class SmallDisk: Sendable {
    /// Where it is mounted.
    public let path: String
    private let folder: TemporaryFolder

    /// Mounts a `tmpfs` of `megabytes` in a fresh folder.
    public init(megabytes: Int) throws {
        folder = try TemporaryFolder()
        path = folder.sub("disk")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let status = SmallDisk.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path])
        guard status == 0 else { throw SmallDiskError(reason: "mount -t tmpfs exited with \(status)") }
    }

    deinit {
        _ = SmallDisk.run("/bin/umount", ["-l", path])
    }

    /// A path on the disk.
    public func sub(_ name: String) -> String { path + "/" + name }

    /// Fills the disk's free space with a file named `name`; returns its size.
    @discardableResult
    public func fill(_ name: String = "filler") throws -> Int {
        let descriptor = open(sub(name), O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else { throw SmallDiskError(reason: "cannot create \(name)") }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0x55, count: 4_096)
        var total = 0
        while true {
            let written = block.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written <= 0 { break }
            total += written
        }
        // The last partial blocks too, byte by byte in small writes.
        while (block.withUnsafeBytes { write(descriptor, $0.baseAddress, 1) }) == 1 { total += 1 }
        return total
    }

    /// Frees `bytes` of the filler file.
    public func free(_ bytes: Int, of name: String = "filler") throws {
        let size = (try FileManager.default.attributesOfItem(atPath: sub(name))[.size] as? Int) ?? 0
        guard truncate(sub(name), off_t(max(0, size - bytes))) == 0 else { throw SmallDiskError(reason: "cannot shrink \(name)") }
    }

    /// Why small disks cannot be mounted here (not root, or no `tmpfs`), or `nil` when they can.
    public static let unavailableReason: String? = {
        do {
            _ = try SmallDisk(megabytes: 1)
            return nil
        } catch {
            return "a small tmpfs disk cannot be mounted here (\(error)); the full-disk tests need root"
        }
    }()

    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Why a small disk could not be set up.
public struct SmallDiskError: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// One segment file of the log: a header, then frames. Segments are numbered from 1; only the
/// last one is ever written, and once the writer moves on to the next it never changes again.
struct Segment: Sendable {
    /// The 16-byte header: magic, format version, segment number.
    static let magic: [UInt8] = Array("CHRNLOG\n".utf8)
    static let formatVersion: UInt32 = 1
    static let headerLength = 16

    let number: Int
    let file: LogFile

    static func fileName(_ number: Int) -> String {
        "segment-" + String(number).leftPadded(to: 8) + ".log"
    }

    /// Parses a segment number out of a file name made by ``fileName(_:)``.
    static func number(fromFileName name: String) -> Int? {
        guard name.hasPrefix("segment-"), name.hasSuffix(".log") else { return nil }
        return Int(name.dropFirst(8).dropLast(4))
    }

    static func header(number: Int) -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: headerLength)
        writer.bytes.append(contentsOf: magic)
        writer.write(formatVersion)
        writer.write(UInt32(number))
        return writer.bytes
    }

    /// Checks a header; returns a reason when it is wrong.
    static func headerProblem(_ bytes: UnsafeRawBufferPointer, number: Int) -> String? {
        guard bytes.count >= headerLength else { return "segment header is truncated" }
        guard Array(bytes[0..<8]) == magic else { return "not a Chronicle log segment (bad magic)" }
        let version = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        guard version == formatVersion else { return "segment format version \(version) is not supported (expected \(formatVersion))" }
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        guard stored == UInt32(truncatingIfNeeded: number) else { return "segment header says number \(stored), file name says \(number)" }
        return nil
    }
}

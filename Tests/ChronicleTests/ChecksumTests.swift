@testable import Chronicle
import Testing

/// CRC-32C computed with the CPU's instructions and with tables gives the same checksums, and
/// the standard one.
@Suite("CRC-32C")
struct ChecksumTests {
    @Test("the standard check value, by both ways of computing it")
    func checkValue() {
        let digits = Array("123456789".utf8)
        #expect(digits.withUnsafeBytes { CRC32C.softwareChecksum($0) } == 0xE306_9283)
        #expect(CRC32C.checksum(digits) == 0xE306_9283)
    }

    @Test("both ways agree on every length and split, with continuation")
    func bothWaysAgree() {
        var random = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let software = bytes.withUnsafeBytes { CRC32C.softwareChecksum($0) }
            #expect(CRC32C.checksum(bytes) == software, "length \(length)")
            let split = length / 3
            let first = CRC32C.checksum(Array(bytes[..<split]))
            #expect(CRC32C.checksum(Array(bytes[split...]), continuing: first) == software, "length \(length) split at \(split)")
        }
    }
}

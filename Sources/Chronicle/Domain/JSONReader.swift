import Foundation

/// Reads JSON text from bytes, for the decoders the generator emits: values are read in place,
/// in the order they come, and unknown members are skipped. It reads what `JSONEncoder` writes.
public struct JSONReader {
    private let bytes: [UInt8]
    private var index = 0

    /// What is wrong with the JSON, and where.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The problem.
        public var reason: String
        /// The byte offset.
        public var offset: Int
        public var description: String { "invalid JSON at byte \(offset): \(reason)" }
    }

    /// Creates a reader over JSON bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// A failure at the current place.
    public func failure(_ reason: String) -> Failure { Failure(reason: reason, offset: index) }

    /// The failure for a required member that is not there.
    public func missing(_ member: String) -> Failure { failure("missing member '\(member)'") }

    /// Reads an object, calling `member` with each member's name; `member` must read the value
    /// (or ``skipValue()`` it).
    public mutating func readObject(_ member: (String, inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipSpace()
            let name = try readString()
            try expect(UInt8(ascii: ":"))
            try member(name, &self)
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated object") }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "}") { return }
            guard byte == UInt8(ascii: ",") else { throw failure("expected , or }") }
        }
    }

    /// Reads an array, calling `element` for each element, which must read it.
    public mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipSpace()
            guard index < bytes.count else { throw failure("unterminated array") }
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "]") { return }
            guard byte == UInt8(ascii: ",") else { throw failure("expected , or ]") }
        }
    }

    /// Whether the next value is `null`; consumes it when it is.
    public mutating func readNull() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// Reads a string.
    public mutating func readString() throws -> String {
        skipSpace()
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<index]), as: UTF8.self) }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscapedString(from: start) }
            index += 1
        }
        throw failure("unterminated string")
    }

    private mutating func readEscapedString(from start: Int) throws -> String {
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { throw failure("unterminated escape") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escaped)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try readHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        // A surrogate pair: \uD83D\uDE00.
                        guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { throw failure("lone surrogate") }
                        index += 2
                        let low = try readHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw failure("bad surrogate pair") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw failure("bad unicode escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw failure("bad escape")
                }
            default:
                scalars.append(byte)
            }
        }
        throw failure("unterminated string")
    }

    private mutating func readHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short unicode escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw failure("bad hex digit")
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Reads a whole number that fits `Integer`.
    public mutating func readInteger<Integer: FixedWidthInteger>(_: Integer.Type = Integer.self) throws -> Integer {
        skipSpace()
        let negative = peek() == UInt8(ascii: "-")
        if negative { index += 1 }
        let start = index
        var value: Integer = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let digit = Integer(bytes[index] - UInt8(ascii: "0"))
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { throw failure("number does not fit \(Integer.self)") }
            value = next
            index += 1
        }
        guard index > start else { throw failure("expected a number") }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw failure("expected a whole number")
        }
        return value
    }

    /// Reads a number.
    public mutating func readDouble() throws -> Double {
        skipSpace()
        let start = index
        while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        let text = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<index]), as: UTF8.self) }
        guard let value = Double(text) else { throw failure("expected a number") }
        return value
    }

    /// Reads `true` or `false`.
    public mutating func readBool() throws -> Bool {
        skipSpace()
        if bytes[index...].starts(with: "true".utf8) {
            index += 4
            return true
        }
        if bytes[index...].starts(with: "false".utf8) {
            index += 5
            return false
        }
        throw failure("expected true or false")
    }

    /// Reads a UUID written as text.
    public mutating func readUUID() throws -> UUID {
        let text = try readString()
        guard let value = UUID.parse(text) else { throw failure("'\(text)' is not a UUID") }
        return value
    }

    /// Reads a date written as seconds since 1970.
    public mutating func readDate() throws -> Date { Date(timeIntervalSince1970: try readDouble()) }

    /// Skips whatever value comes next.
    public mutating func skipValue() throws {
        skipSpace()
        switch peek() {
        case UInt8(ascii: "{"): try readObject { _, reader in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { try $0.skipValue() }
        case UInt8(ascii: "\""): _ = try readString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): guard readNull() else { throw failure("expected null") }
        default: _ = try readDouble()
        }
    }

    /// Checks that nothing but spaces follows the value read.
    public mutating func finish() throws {
        skipSpace()
        guard index == bytes.count else { throw failure("unexpected bytes after the value") }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    /// The first byte of the next value, after spaces.
    var nextByte: UInt8? {
        mutating get {
            skipSpace()
            return peek()
        }
    }

    /// Reads a number and returns its text, checked to be a JSON number.
    mutating func readNumberText() throws -> String {
        skipSpace()
        let start = index
        while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
        let text = bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<index]), as: UTF8.self) }
        guard !text.isEmpty, Double(text) != nil else {
            index = start
            throw failure("expected a value")
        }
        return text
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw failure("expected \(Character(Unicode.Scalar(byte)))") }
        index += 1
    }
}

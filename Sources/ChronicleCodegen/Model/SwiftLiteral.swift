/// Literal spellings the generator writes: Swift's, and JSON's for the values a lock or a tool
/// reads.
enum SwiftLiteral {
    /// A Swift string literal with the needed escapes.
    static func string(_ text: String) -> String {
        quoted(text) { "\\u{\(String($0, radix: 16))}" }
    }

    /// A JSON string literal with the needed escapes.
    static func json(_ text: String) -> String {
        quoted(text) { "\\u" + String(repeating: "0", count: 4 - String($0, radix: 16).count) + String($0, radix: 16) }
    }

    /// `text` in double quotes, with quotes, backslashes and line breaks escaped, and other
    /// control characters spelled by `control`.
    private static func quoted(_ text: String, control: (UInt32) -> String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let c where c.value < 0x20: result += control(c.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

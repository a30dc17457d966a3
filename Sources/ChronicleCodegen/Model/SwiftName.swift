/// Swift spellings of schema names.
enum SwiftName {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal",
        "let", "operator", "private", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias",
        "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "switch", "where", "while", "as", "Any", "catch", "false", "is", "nil", "super", "self", "Self",
        "throw", "throws", "true", "try",
    ]

    /// Names Swift gives a meaning of their own as members or after a dot (`x.self`, `T.Type`,
    /// `P.Protocol`, `.init`), which backticks do not undo: refused as names of fields, enum
    /// cases, errors and targets.
    static let reservedMembers: Set<String> = ["self", "Self", "Type", "Protocol", "init", "deinit", "subscript", "super", "_"]

    /// An identifier, escaped with backticks when it is a keyword.
    static func identifier(_ name: String) -> String { keywords.contains(name) ? "`\(name)`" : name }

    /// An argument label at a call site: keywords need no backticks there (the compiler warns
    /// about them), except `inout`, `var` and `let`.
    static func label(_ name: String) -> String { ["inout", "var", "let"].contains(name) ? "`\(name)`" : name }

    /// `Deposited` → `deposited`, `URLChanged` → `urlChanged`.
    static func lowerFirst(_ name: String) -> String {
        let prefix = name.prefix { $0.isUppercase }
        if prefix.count <= 1 { return name.prefix(1).lowercased() + name.dropFirst() }
        if prefix.count == name.count { return name.lowercased() }
        return prefix.dropLast().lowercased() + name.dropFirst(prefix.count - 1)
    }

    /// `owner` → `Owner`.
    static func upperFirst(_ name: String) -> String { name.prefix(1).uppercased() + name.dropFirst() }

    static func isValidIdentifier(_ name: String) -> Bool {
        // Most names are ASCII: checked byte by byte, without Unicode tables.
        var ascii = true
        for (index, byte) in name.utf8.enumerated() {
            if byte >= 0x80 { ascii = false; break }
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            if !letter && (index == 0 || !(byte >= 0x30 && byte <= 0x39)) { return false }
        }
        if ascii { return !name.isEmpty }
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
    }

    static func isTypeName(_ name: String) -> Bool { isValidIdentifier(name) && name.first?.isUppercase == true }
}

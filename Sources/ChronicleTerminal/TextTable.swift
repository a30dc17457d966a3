/// A plain text table: columns padded to their widest cell.
///
/// Cells are printed safely: control characters (which a terminal would obey, such as ANSI and
/// OSC escape sequences, or a newline that would forge a row) and the invisible characters that
/// reorder text are shown as escapes (`\u{1B}`, `\n`). Rendering is linear in the table's size.
public struct TextTable {
    let columns: [String]
    var rows: [[String]] = []

    /// Creates a table with these column titles.
    public init(columns: [String]) { self.columns = columns }

    /// Adds a row.
    public mutating func add(_ row: [String]) { rows.append(row.map(TextTable.escaped)) }

    /// The table as text, one line per row, titles first, without trailing spaces.
    public var rendered: String {
        let all = [columns] + rows
        var widths = [Int](repeating: 0, count: columns.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        var text = ""
        for row in all {
            var line = ""
            for (index, cell) in row.enumerated() {
                if index > 0 { line += "  " }
                line += cell
                if index < row.count - 1, index < widths.count, cell.count < widths[index] {
                    line += String(repeating: " ", count: widths[index] - cell.count)
                }
            }
            while line.last == " " { line.removeLast() }
            text += line + "\n"
        }
        return text
    }

    /// `text` with every character a terminal would act on, or that reorders what is shown,
    /// replaced by a visible escape.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true // C0 and C1 controls, DEL
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true // direction marks and overrides
        default: false
        }
    }
}

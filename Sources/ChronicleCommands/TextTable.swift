/// A plain text table: columns padded to their widest cell.
public struct TextTable {
    let columns: [String]
    var rows: [[String]] = []

    /// Creates a table with these column titles.
    public init(columns: [String]) { self.columns = columns }

    /// Adds a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as text, one line per row, titles first.
    public var rendered: String {
        let all = [columns] + rows
        let widths = columns.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n" }.joined()
    }
}

/// The column layout of the tables printed for people (`bench` and `soak --format table`,
/// `sensors` on a terminal): each column as wide as its widest cell, two spaces between columns,
/// no trailing spaces.
enum TextColumns {
    /// `rows` laid out, each line ending in a newline: the first `leftAligned` columns aligned
    /// left (names), the others right (numbers).
    static func render(_ rows: [[String]], leftAligned: Int = 1) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            let line = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column < leftAligned ? cell + padding : padding + cell
            }.joined(separator: "  ")
            return String(line.reversed().drop { $0 == " " }.reversed()) + "\n"
        }.joined()
    }
}

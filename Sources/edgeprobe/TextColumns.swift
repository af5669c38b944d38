import Quantities
import Suites

/// The column layout of the tables printed for people (`bench` and `soak --format table`,
/// `sensors` on a terminal): each column as wide as its widest cell, two spaces between columns,
/// no trailing spaces.
enum TextColumns {
    /// A table of `items` under `header`, one row of `cells(item)` each, laid out by `render(_:leftAligned:)`.
    static func render<Item>(header: [String], _ items: [Item], leftAligned: Int = 1, cells: (Item) -> [String]) -> String {
        render([header] + items.map(cells), leftAligned: leftAligned)
    }

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

    /// The cell of a figure: `value` with `digits` decimals and `unit` after it, or `-` when the
    /// record has none (null), so a missing figure never reads as 0.
    static func figure(_ value: Double?, _ digits: Int, _ unit: String = "") -> String {
        value.map { DecimalText.fixed($0, digits) + unit } ?? "-"
    }

    /// The cell of a duration in microseconds (`Progress`' units), or `-` when there is none.
    static func microseconds(_ value: Double?) -> String {
        value.map(Progress.formatMicroseconds) ?? "-"
    }
}

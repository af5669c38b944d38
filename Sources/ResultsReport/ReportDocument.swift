/// A report before it is written: the run summary, then one section per kind of result found.
/// The HTML writer shows every block; the Markdown writer shows the same tables without charts.
public struct ReportDocument: Sendable {
    /// The page title.
    public var title: String
    /// One table row per run: host, CPU, board profile, kernel, version, when.
    public var runs: ReportTable
    /// Problems found while reading, and warnings the runs themselves recorded.
    public var warnings: [String]
    /// The sections, in a fixed order (bench first, unknown records last).
    public var sections: [ReportSection]
}

/// One kind of result: a heading and its charts, tables and notes.
public struct ReportSection: Sendable {
    /// A stable anchor, e.g. `bench`.
    public var id: String
    /// The heading.
    public var title: String
    /// The content, in order.
    public var blocks: [ReportBlock]
}

/// A piece of a section.
public enum ReportBlock: Sendable {
    /// A paragraph of plain text.
    case paragraph(String)
    /// A table of the numbers.
    case table(ReportTable)
    /// A chart: an inline SVG picture and a one-line caption saying how to read it.
    case chart(svg: String, caption: String)
    /// A sub-heading inside a section.
    case subheading(String)
}

/// A table: column headings and rows of cells.
public struct ReportTable: Sendable {
    /// The column headings (units in them).
    public var columns: [String]
    /// Which columns hold numbers (right-aligned).
    public var numericColumns: Set<Int>
    /// The rows.
    public var rows: [[ReportCell]]

    /// A table with `columns`, numbers right-aligned in `numeric`.
    public init(columns: [String], numeric: Set<Int> = [], rows: [[ReportCell]] = []) {
        self.columns = columns
        self.numericColumns = numeric
        self.rows = rows
    }

    /// A table with `columns`, numbers right-aligned in the columns named in `numericNames`: for
    /// tables whose optional columns would shift numeric indices counted by hand.
    public init(columns: [String], numericNames: Set<String>, rows: [[ReportCell]] = []) {
        precondition(numericNames.isSubset(of: columns), "ReportTable: numeric columns \(numericNames.subtracting(columns)) are not columns")
        self.init(columns: columns, numeric: Set(columns.indices.filter { numericNames.contains(columns[$0]) }), rows: rows)
    }
}

/// One table cell: its text and how it should stand out.
public struct ReportCell: Sendable, ExpressibleByStringLiteral {
    /// What a cell stands for beyond its text; the raw value names the HTML page's `cell-` style.
    public enum Mark: String, Sendable {
        case none
        /// A figure the record has as `null`: shown as missing, never as 0.
        case missing
        /// A figure with a coefficient of variation above the warning threshold.
        case noisy
        /// A condition worth a look (throttled, interrupted, a check missed).
        case alert
        /// A check passed.
        case good
    }

    /// The text.
    public var text: String
    /// How it stands out.
    public var mark: Mark

    /// A cell with `text` and `mark`.
    public init(_ text: String, _ mark: Mark = .none) {
        self.text = text
        self.mark = mark
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// A figure's cell: formatted, or "n/a" marked missing when the record has no value.
    public static func figure(_ value: Double?, _ format: (Double) -> String) -> ReportCell {
        guard let value else { return ReportCell("n/a", .missing) }
        return ReportCell(format(value))
    }
}

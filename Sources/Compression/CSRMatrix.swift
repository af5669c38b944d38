// Compressed sparse row form of a 2-D weight matrix, the layout sparse kernels iterate.

/// A row-major matrix keeping only its nonzero entries: for row r, the entries
/// `rowStarts[r]..<rowStarts[r + 1]` of `columnIndices` and `values`.
///
/// A conv weight [outC][kh][kw][inC] is the matrix outC × (kh·kw·inC).
public struct CSRMatrix: Sendable, Equatable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// Start of each row in `columnIndices`/`values`, plus the total at the end (rows + 1 entries).
    public let rowStarts: [Int32]
    /// Column of each stored entry, increasing within a row.
    public let columnIndices: [Int32]
    /// Value of each stored entry.
    public let values: [Float]

    /// Keeps the nonzero entries of the row-major `dense` matrix of `rows` × `columns`.
    public init(dense: [Float], rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0 && dense.count == rows * columns, "dense is rows × columns")
        precondition(dense.count <= Int(Int32.max), "indices are 32-bit")
        var rowStarts: [Int32] = [0]
        var columnIndices = [Int32]()
        var values = [Float]()
        for row in 0..<rows {
            for column in 0..<columns where dense[row * columns + column] != 0 {
                columnIndices.append(Int32(column))
                values.append(dense[row * columns + column])
            }
            rowStarts.append(Int32(values.count))
        }
        self.rows = rows
        self.columns = columns
        self.rowStarts = rowStarts
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The number of stored (nonzero) entries.
    public var nonzeroCount: Int { values.count }

    /// The dense row-major matrix.
    public func dense() -> [Float] {
        var dense = [Float](repeating: 0, count: rows * columns)
        for row in 0..<rows {
            for entry in Int(rowStarts[row])..<Int(rowStarts[row + 1]) {
                dense[row * columns + Int(columnIndices[entry])] = values[entry]
            }
        }
        return dense
    }
}

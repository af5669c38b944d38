import Reports
/// Reads edgeprobe's JSON lines into records, tolerant of what a crash or a copy leaves behind
/// (a truncated last line, a blank line, a line that is not a record: each skipped with a
/// warning naming its line) but not of a file with no record at all.
public enum ResultsReader {
    /// The file cannot be reported on.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// One line naming the file (and line) and the problem.
        public let description: String
    }

    /// What one file gave.
    public struct Outcome: Sendable {
        /// Records in file order.
        public var records: [ResultRecord]
        /// Lines skipped, and why.
        public var warnings: [ReportWarning]
    }

    /// Reads the text of `file` (its name as the user gave it, `-` for standard input).
    /// - Throws: `Failure` when the text holds no record: empty, or not JSON lines.
    public static func read(text: String, file: String) throws(Failure) -> Outcome {
        var outcome = Outcome(records: [], warnings: [])
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let endsWithNewline = lines.last?.isEmpty ?? true
        if endsWithNewline { lines.removeLast() }
        var firstProblem: ReportWarning?
        var contentLines = 0
        for (index, line) in lines.enumerated() {
            let position = LinePosition(file: file, line: index + 1)
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                outcome.warnings.append(ReportWarning(position: position, message: "blank line, skipped"))
                continue
            }
            contentLines += 1
            let problem: String
            if let value = JSONLineValue(line: line.utf8) {
                if let record = ResultRecord(value, position: position) {
                    outcome.records.append(record)
                    continue
                }
                problem = "not an edgeprobe record (no \"type\"), skipped"
            } else if index == lines.count - 1, !endsWithNewline {
                problem = "truncated last line (incomplete JSON, no newline), skipped"
            } else {
                problem = "not JSON, skipped"
            }
            let warning = ReportWarning(position: position, message: problem)
            firstProblem = firstProblem ?? warning
            outcome.warnings.append(warning)
        }
        if outcome.records.isEmpty {
            if contentLines == 0 { throw Failure(description: "\(file): empty: no records to report") }
            let where_ = firstProblem.map { "\($0.position!)" } ?? file
            throw Failure(description: "\(where_): not edgeprobe JSON lines: no line of the file is a record")
        }
        return outcome
    }
}

/// Why a text is not a YAML document the loader accepts: libyaml's own problem (syntax, encoding)
/// or the loader's (an alias without an anchor, a second document, ...), with where it was found.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in libyaml's words where libyaml found it.
    public let problem: String
    /// The 1-based line of the problem, where known.
    public let line: Int?
    /// The 1-based column of the problem, where known.
    public let column: Int?
    /// What libyaml was reading, e.g. `while parsing a flow sequence started at line 1 column 11`.
    public let context: String?

    /// A problem found at `line`, `column`.
    public init(problem: String, line: Int?, column: Int?, context: String? = nil) {
        self.problem = problem
        self.line = line
        self.column = column
        self.context = context
    }

    /// `problem at line L column C (context)`.
    public var description: String {
        var text = problem
        if let line, let column { text += " at line \(line) column \(column)" } else if let line { text += " at line \(line)" }
        if let context { text += " (\(context))" }
        return text
    }
}

/// A problem in a configuration or profile file (the agent's configuration, a suite, a board
/// profile, an architecture spec, a search space, a lookup table), on one line:
/// `file:line: key: problem`, where `key` is the dotted path such as `outputs.file.max_size`,
/// `schedule[0].every` or `layers[3] 'conv3x3'.stride`. Text taken from the file (names,
/// values) is shown printable and at most `longestQuote` characters long.
public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file that was read.
    public let file: String
    /// The dotted key at fault, e.g. `outputs.file.max_size` or `schedule[0].every`; empty for the file.
    public let key: String
    /// What is wrong, in words.
    public let problem: String
    /// The 1-based line in the file, where known.
    public let line: Int?

    /// Describes a problem found at `key` of `file`.
    public init(file: String, key: String = "", problem: String, line: Int? = nil) {
        self.file = file
        self.key = key
        self.problem = problem
        self.line = line
    }

    /// `file:line: key: problem` (`file: problem` when there is no line or key).
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let problem = Self.printable(problem, limit: 4 * Self.longestQuote)
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(Self.printable(key)): \(problem)"
    }

    /// The most characters of a name or value from the file an error quotes.
    public static let longestQuote = 80

    /// `text` with control characters and invalid bytes (decoded as U+FFFD) shown as `?`, cut to
    /// `limit` characters with `...`.
    static func printable(_ text: String, limit: Int = longestQuote) -> String {
        var shown = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit).map { scalar in
            scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" ? "?" : scalar
        }))
        if text.unicodeScalars.count > limit { shown += "..." }
        return shown
    }
}

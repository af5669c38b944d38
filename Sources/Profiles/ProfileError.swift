/// A problem in a suite or board profile file, naming the file, the entry and the field.
public struct ProfileError: Error, CustomStringConvertible, Equatable {
    /// The file that was read.
    public let file: String
    /// The entry within the file, e.g. `layers[3] 'conv3x3-64-56'`; empty for the top level.
    public let entry: String
    /// The offending field, or empty when the whole entry is at fault.
    public let field: String
    /// What is wrong, in words.
    public let problem: String
    /// The 1-based line in the file, where known.
    public let line: Int?

    /// Describes a problem found at `entry.field` of `file`.
    public init(file: String, entry: String = "", field: String = "", problem: String, line: Int? = nil) {
        self.file = file
        self.entry = entry
        self.field = field
        self.problem = problem
        self.line = line
    }

    /// `file:line: entry, field 'name': problem` on one line; text taken from the file (names,
    /// values) is shown printable and at most `longestQuote` characters long.
    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let place = [Self.printable(entry), field.isEmpty ? "" : "field '\(Self.printable(field))'"]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        let problem = Self.printable(problem, limit: 4 * Self.longestQuote)
        return place.isEmpty ? "\(location): \(problem)" : "\(location): \(place): \(problem)"
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

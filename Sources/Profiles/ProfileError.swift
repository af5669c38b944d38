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

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        let place = [entry, field.isEmpty ? "" : "field '\(field)'"].filter { !$0.isEmpty }.joined(separator: ", ")
        return place.isEmpty ? "\(location): \(problem)" : "\(location): \(place): \(problem)"
    }
}

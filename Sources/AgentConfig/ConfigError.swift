/// A problem in the agent's configuration file, naming the file, the key and what is wrong.
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

    public var description: String {
        let location = line.map { "\(file):\($0)" } ?? file
        return key.isEmpty ? "\(location): \(problem)" : "\(location): \(key): \(problem)"
    }
}

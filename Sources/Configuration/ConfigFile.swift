import SystemErrors

/// Reading a configuration or profile file whole, with errors that name the file and the
/// system's reason.
public enum ConfigFile {
    /// The largest file read: configurations, suites, boards, specs, spaces and lookup tables
    /// are kilobytes, so a larger file is a mistake, and refusing it keeps parse time bounded.
    public static let maxBytes = 4 << 20

    /// The whole text of the file at `path`.
    /// - Throws: `ConfigError` when the file cannot be read or is larger than `maxBytes`.
    public static func read(_ path: String) throws(ConfigError) -> String {
        do {
            return String(decoding: try WholeFile.bytes(path, maxBytes: maxBytes), as: UTF8.self)
        } catch {
            switch error {
            case .tooLarge: throw ConfigError(file: path, problem: "the file is more than the limit of \(maxBytes) bytes")
            case .system(let reason): throw ConfigError(file: path, problem: "cannot read: \(reason)")
            }
        }
    }
}

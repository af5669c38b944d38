import Harness

/// Reading the configuration file's text.
enum ConfigText {
    /// The whole file.
    /// - Throws: `ConfigError` with the system's reason when it cannot be read.
    static func read(_ path: String) throws(ConfigError) -> String {
        do {
            return try ProfileFile.read(path)
        } catch {
            throw ConfigError(file: path, problem: error.problem)
        }
    }
}

import Glibc
import ProcStats

/// Reading the configuration file's text.
enum ConfigText {
    /// The whole file.
    /// - Throws: `ConfigError` with the system's reason when it cannot be read.
    static func read(_ path: String) throws(ConfigError) -> String {
        guard let text = TextFile.text(path) else {
            throw ConfigError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
        }
        return text
    }
}

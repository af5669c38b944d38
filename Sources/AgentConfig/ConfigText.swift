import Glibc

/// Reading the configuration file's text.
enum ConfigText {
    /// The whole file.
    /// - Throws: `ConfigError` with the system's reason when it cannot be read.
    static func read(_ path: String) throws(ConfigError) -> String {
        guard let file = fopen(path, "r") else { throw unreadable(path) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard ferror(file) == 0 else { throw unreadable(path) }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func unreadable(_ path: String) -> ConfigError {
        ConfigError(file: path, problem: "cannot read: \(String(cString: strerror(errno)))")
    }
}

import Glibc
import SystemErrors

/// A bearer token kept in a file only its owner can read (mode 0600 or 0400), as the latency
/// service and the metrics endpoint take it: the first line, without surrounding whitespace.
public enum TokenFile {
    /// Why a token file cannot be used, in words that name the file.
    public struct Problem: Error, CustomStringConvertible, Equatable, Sendable {
        /// E.g. `token file /etc/edgeprobe/metrics.token has mode 644; it must be 0600 (chmod 600 ...)`.
        public let description: String
    }

    /// The token in `path`.
    /// - Throws: `Problem` when the file is missing, readable by group or others, or empty.
    public static func read(_ path: String) throws(Problem) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw Problem(description: "token file \(path): \(SystemError.current.description)")
        }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw Problem(description: "token file \(path) has mode \(String(permissions, radix: 8)); it must be 0600 (chmod 600 \(path))")
        }
        guard let handle = fopen(path, "r") else {
            throw Problem(description: "token file \(path): \(SystemError.current.description)")
        }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = fread(&buffer, 1, buffer.count, handle)
        let line = buffer[0..<count].prefix { $0 != UInt8(ascii: "\n") }
        let token = Array(line.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 || $0 == 13 }.reversed())
        guard !token.isEmpty else { throw Problem(description: "token file \(path) is empty") }
        return token
    }
}

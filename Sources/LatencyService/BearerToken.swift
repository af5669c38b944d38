import Glibc
import SystemErrors

/// The secret every request must present as `Authorization: Bearer <token>`, read from a file
/// only its owner can read.
public struct BearerToken: Sendable {
    private let secret: [UInt8]

    /// Reads the token from `file`: the first line, without surrounding whitespace.
    /// - Throws: `LatencyServiceError.configuration` when the file is missing, readable by group
    ///   or others (anything but mode 0600/0400), or empty.
    public init(file: String) throws(LatencyServiceError) {
        var status = stat()
        guard stat(file, &status) == 0 else {
            throw .configuration("token file \(file): \(SystemError.current.description)")
        }
        let permissions = status.st_mode & 0o777
        guard permissions & 0o077 == 0 else {
            throw .configuration("token file \(file) has mode \(String(permissions, radix: 8)); it must be 0600 (chmod 600 \(file))")
        }
        guard let handle = fopen(file, "r") else {
            throw .configuration("token file \(file): \(SystemError.current.description)")
        }
        defer { fclose(handle) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = fread(&buffer, 1, buffer.count, handle)
        let line = buffer[0..<count].prefix { $0 != UInt8(ascii: "\n") }
        let token = Array(line.drop { $0 == 32 || $0 == 9 }.reversed().drop { $0 == 32 || $0 == 9 || $0 == 13 }.reversed())
        guard !token.isEmpty else { throw .configuration("token file \(file) is empty") }
        secret = token
    }

    /// Whether an `Authorization` header value carries this token (compared in constant time).
    public func admits(authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let offered = Array(authorization.utf8.dropFirst(7))
        guard offered.count == secret.count else { return false }
        var difference: UInt8 = 0
        for (left, right) in zip(offered, secret) { difference |= left ^ right }
        return difference == 0
    }
}

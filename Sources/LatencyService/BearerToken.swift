import AgentConfig
import HTTPServer

/// The secret every request must present as `Authorization: Bearer <token>`, read from a file
/// only its owner can read.
public struct BearerToken: Sendable {
    private let secret: [UInt8]

    /// Reads the token from `file` (`TokenFile`): the first line, without surrounding whitespace.
    /// - Throws: `LatencyServiceError.configuration` when the file is missing, readable by group
    ///   or others (anything but mode 0600/0400), or empty.
    public init(file: String) throws(LatencyServiceError) {
        do {
            secret = try TokenFile.read(file)
        } catch {
            throw .configuration(error.description)
        }
    }

    /// Whether an `Authorization` header value carries this token (compared in constant time).
    public func admits(authorization: String?) -> Bool {
        BearerAuthorization.admits(authorization, token: secret)
    }
}

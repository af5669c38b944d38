import Glibc
import SystemErrors

/// A child process could not be started.
public struct ChildProcessError: Error, CustomStringConvertible, Sendable {
    /// The executable that was to run.
    public let executable: String
    /// Why not.
    public let reason: String

    init(executable: String, errno code: Int32) {
        self.executable = executable
        reason = SystemError(code: code).description
    }

    public var description: String { "cannot start \(executable): \(reason)" }
}

import Glibc

/// A failed system call's `errno`, described in the system's words (`strerror`): the one way
/// the project turns `errno` into text for a message.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The `errno` value.
    public let code: Int32

    /// The error `code`.
    public init(code: Int32) {
        self.code = code
    }

    /// The calling thread's current `errno`: read it right after the call that failed.
    public static var current: SystemError { SystemError(code: errno) }

    /// `strerror(code)`, e.g. `No such file or directory`.
    public var description: String { String(cString: strerror(code)) }
}

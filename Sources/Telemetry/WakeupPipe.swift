import Glibc
import SystemErrors

/// A pipe one side writes a byte to and the other waits on with a deadline: how a sampling loop
/// sleeps until its next tick yet wakes at once for a stop request or a signal.
///
/// `wake()` only calls `write(2)`, so it is async-signal-safe and may be called from a signal handler.
public final class WakeupPipe: Sendable {
    private let readEnd: Int32
    /// The write end, for a signal handler that must not touch Swift objects.
    public let writeEnd: Int32

    /// Creates the pipe (non-blocking, close-on-exec).
    /// - Throws: `WakeupPipeError` when the process is out of file descriptors.
    public init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw WakeupPipeError(errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Wakes the waiter (now or at its next wait).
    public func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Sleeps until `deadline` (a `MonotonicClock` time) or a wake-up, whichever comes first.
    /// - Returns: `true` when woken, `false` when the deadline passed.
    public func wait(until deadline: UInt64) -> Bool {
        while true {
            let now = MonotonicClock.now()
            if hasWakeup() { return true }
            if now >= deadline { return false }
            let remainingMs = (deadline - now + 999_999) / 1_000_000
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            _ = poll(&descriptor, 1, Int32(min(remainingMs, UInt64(Int32.max))))
        }
    }

    /// Whether a wake-up byte is pending (left pending, so later waits return at once too).
    private func hasWakeup() -> Bool {
        var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}

/// The pipe for a `WakeupPipe` could not be created.
public struct WakeupPipeError: Error, CustomStringConvertible {
    /// The `errno` of `pipe2`.
    public let errno: Int32

    /// `cannot create a pipe: <reason>`.
    public var description: String { "cannot create a pipe: " + SystemError(code: errno).description }
}

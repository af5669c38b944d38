import Glibc
import Synchronization
import SystemErrors

/// An exclusive advisory lock on a file (`flock(2)`), so that processes measuring on one board
/// (the agent's scheduler, the latency service, `edgeprobe bench`) never overlap.
///
/// The lock belongs to the open file description this object opens (`O_RDWR | O_CLOEXEC |
/// O_CREAT`, mode 0600): two `BoardLock`s on the same path exclude each other even inside one
/// process, and a child process started while the lock is held inherits nothing (the descriptor
/// is close-on-exec). Deinitializing the object closes the file, which releases the lock; so does
/// the process exiting.
public final class BoardLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32
    /// Whether this object holds the lock now.
    private let held = Atomic<Bool>(false)

    /// Opens (creating if needed) the lock file at `path`; does not take the lock.
    /// - Throws: `BoardLockError` naming the path and the reason when the file cannot be opened.
    public init(path: String) throws(BoardLockError) {
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_CREAT, 0o600)
        guard descriptor >= 0 else { throw BoardLockError(path: path, operation: "open", errno: errno) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    // MARK: - Locking

    /// Takes the lock if no one else holds it, without waiting.
    /// - Returns: whether this object holds the lock now (also `true` when it already did).
    public func tryAcquire() -> Bool {
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                held.store(true, ordering: .releasing)
                return true
            }
            // EINTR: a signal arrived; try again. EWOULDBLOCK: someone else holds it.
            if errno != EINTR { return false }
        }
    }

    /// Waits for the lock until `deadline` (`nil`: no deadline), polling without blocking a thread:
    /// a non-blocking attempt, then a sleep of 5 ms growing to 50 ms between attempts.
    /// - Returns: whether the lock was taken; `false` at the deadline or when the task is cancelled.
    public func acquire(deadline: ContinuousClock.Instant?) async -> Bool {
        var pause = Duration.milliseconds(5)
        while true {
            if Task.isCancelled { return false }
            if tryAcquire() { return true }
            var wakeUp = ContinuousClock.now + pause
            if let deadline {
                if ContinuousClock.now >= deadline { return false }
                wakeUp = min(wakeUp, deadline)
            }
            do {
                try await Task.sleep(until: wakeUp, clock: .continuous)
            } catch {
                return false
            }
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// Releases the lock if this object holds it (otherwise does nothing).
    public func release() {
        guard held.exchange(false, ordering: .acquiringAndReleasing) else { return }
        while flock(descriptor, LOCK_UN) != 0, errno == EINTR {}
    }
}

// MARK: - Errors

/// The lock file could not be opened.
public struct BoardLockError: Error, CustomStringConvertible, Equatable {
    /// The lock file's path.
    public let path: String
    /// What failed (`open`).
    public let operation: String
    /// The `errno` value.
    public let errno: Int32

    /// `cannot open the board lock file /missing/x: No such file or directory`.
    public var description: String {
        "cannot \(operation) the board lock file \(path): \(SystemError.current.description)"
    }
}

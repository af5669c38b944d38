import Glibc
import Synchronization

/// Where the task that started a child process keeps it, so that a graceful shutdown arriving
/// from another task can stop it: before the child exists (it is then stopped as soon as it
/// starts), while it runs, or after it ended (nothing to do).
final class ChildProcessSlot: Sendable {
    private struct State {
        var child: ChildProcess?
        var stopped = false
    }

    private let state = Mutex(State())

    /// Keeps `child`; sends it SIGTERM at once if `stop()` came first.
    func attach(_ child: ChildProcess) {
        let stopped = state.withLock { state in
            state.child = child
            return state.stopped
        }
        if stopped { child.send(SIGTERM) }
    }

    /// Sends SIGTERM to the child, now or as soon as it is attached.
    func stop() {
        let child = state.withLock { state in
            state.stopped = true
            return state.child
        }
        child?.send(SIGTERM)
    }

    /// Forgets the child once it has exited (before it is reaped), so no later `stop()` signals
    /// a process id that may be reused.
    func detach() {
        state.withLock { $0.child = nil }
    }

    /// Whether `stop()` was called.
    var wasStopped: Bool { state.withLock { $0.stopped } }
}

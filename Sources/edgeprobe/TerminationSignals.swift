import Dispatch
import Glibc

/// Turns SIGINT and SIGTERM into a call of `onSignal` on a Dispatch queue instead of killing the
/// process, so long work can finish its current step, keep every line whole and close its output.
final class TerminationSignals {
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching for the rest of the process's life (or until this object is released).
    /// The signals are also unblocked: a parent may have started us with them blocked, and a
    /// blocked SIGTERM would never stop us.
    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onSignal(number) }
            source.resume()
            sources.append(source)
            sigaddset(&unblock, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

    /// The exit status a shell expects after a signal: 128 + its number (130, 143).
    static func exitStatus(for signal: Int32) -> Int32 {
        128 + signal
    }
}

import Dispatch
import Glibc
import Synchronization
import Telemetry

/// Turns SIGINT and SIGTERM into a call of `onSignal` on a Dispatch queue instead of killing the
/// process, so long work can finish its current step, keep every line whole and close its output.
public final class TerminationSignals {
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching for the rest of the process's life (or until this object is released).
    /// The signals are also unblocked: a parent may have started us with them blocked, and a
    /// blocked SIGTERM would never stop us.
    public init(onSignal: @escaping @Sendable (Int32) -> Void) {
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
    public static func exitStatus(for signal: Int32) -> Int32 {
        128 + signal
    }

    /// Makes SIGINT and SIGTERM wake `pipe` instead of killing the process, without any thread:
    /// the handler only writes a byte to the pipe (async-signal-safe). For a loop that already
    /// waits on a `WakeupPipe` and must stay small (`edgeprobe sample`); the pipe must outlive
    /// the process's sampling. One pipe per process: a second call replaces the first.
    public static func wake(_ pipe: WakeupPipe) {
        wakeupDescriptor.store(pipe.writeEnd, ordering: .releasing)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { _ in
                var byte: UInt8 = 1
                _ = write(wakeupDescriptor.load(ordering: .acquiring), &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
            sigaddset(&unblock, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

/// The write end of the pipe `TerminationSignals.wake(_:)` handlers write to.
private let wakeupDescriptor = Atomic<Int32>(-1)

import Glibc
import Telemetry

/// The write end of the pipe that SIGINT and SIGTERM wake; read only by the signal handler.
nonisolated(unsafe) private var signalWakeupDescriptor: Int32 = -1

/// Turns SIGINT and SIGTERM into a byte on a `WakeupPipe`, so a sampling loop sleeping on the
/// pipe stops after the line it is writing instead of dying mid-line. The handler only calls
/// `write(2)`, which is async-signal-safe.
enum SignalWakeup {
    /// Routes SIGINT and SIGTERM to `pipe` for the rest of the process's life, and unblocks them:
    /// a parent may have started us with them blocked (a blocked SIGTERM would never stop us).
    static func install(_ pipe: WakeupPipe) {
        signalWakeupDescriptor = pipe.writeEnd
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let savedErrno = errno
            var byte: UInt8 = 1
            _ = write(signalWakeupDescriptor, &byte, 1)
            errno = savedErrno
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in [SIGINT, SIGTERM] {
            sigaction(number, &action, nil)
            sigaddset(&unblock, number)
        }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}

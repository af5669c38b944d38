import Dispatch
import Glibc
import Harness

/// Turns SIGINT and SIGTERM into a raised `StopFlag` instead of killing the process, so long
/// work can finish its current step, keep every line whole and close its output.
final class TerminationSignals {
    private var sources: [any DispatchSourceSignal] = []

    /// Starts watching; the flag is raised with the signal's number.
    init(raising flag: StopFlag) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { flag.raise(signal: number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The exit status a shell expects after a signal: 128 + its number (130, 143).
    static func exitStatus(for signal: Int32) -> Int32 {
        128 + signal
    }
}

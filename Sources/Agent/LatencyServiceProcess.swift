import BoardLock
import Glibc
import ServiceLifecycle

/// The HTTP latency service the agent hosts (`latency_service`), run as a child process of the
/// full `edgeprobe` (`agent-latency-service --config PATH --board-lock PATH`), which reads the same
/// configuration file. The child takes the board lock around every measurement, the scheduler
/// around every suite, so the two never measure at once.
///
/// The child's standard error goes to the agent's; its last line explains an early end. The
/// service ending on its own (a taken port, a crash) is an error that stops the agent, as it
/// would if the service ran inside it: systemd's `Restart=on-failure` starts both again.
/// Graceful shutdown sends the child SIGTERM and waits for it.
public struct LatencyServiceProcess: Service {
    private let context: AgentContext
    private let executable: EdgeprobeExecutable
    private let boardLock: String

    /// The latency service of `context`'s configuration, started with `executable`, sharing the
    /// board lock file at `boardLock`.
    public init(context: AgentContext, executable: EdgeprobeExecutable, boardLock: String) {
        self.context = context
        self.executable = executable
        self.boardLock = boardLock
    }

    /// Runs the service until graceful shutdown.
    /// - Throws: `LatencyServiceProcessError` when the child cannot start or ends on its own.
    public func run() async throws {
        let path = executable.path
        let arguments = executable.latencyServiceArguments(configuration: context.configuration.current.path, boardLock: boardLock)
        let slot = ChildProcessSlot()
        let outcome = await withGracefulShutdownHandler {
            await BlockingThread.run { () -> Result<(ChildProcess.Termination, String), ChildProcessError> in
                Result { () throws(ChildProcessError) in
                    let child = try ChildProcess(executable: path, arguments: arguments, capturing: STDERR_FILENO)
                    slot.attach(child)
                    var lastLine: [UInt8] = []
                    child.forEachLine { line in
                        _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
                        lastLine = line
                    }
                    child.waitUntilExited()
                    slot.detach()
                    return (child.reap(), EdgeprobeExecutable.message(lastLine))
                }
            }
        } onGracefulShutdown: {
            slot.stop()
        }
        switch outcome {
        case .success((let termination, _)) where slot.wasStopped && termination != .signalled(SIGKILL):
            return
        case .success((let termination, let message)):
            throw LatencyServiceProcessError(problem: message.isEmpty ? "the latency service \(termination)" : message)
        case .failure(let error):
            throw LatencyServiceProcessError(problem: error.description)
        }
    }
}

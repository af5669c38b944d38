import Foundation
import Glibc
import TestSupport

/// `edgeprobe agent --config <directory>/agent.yaml` started by a test (a `TestProcess`: output
/// read while it runs, every wait with a hang deadline), with the agent's records at hand.
final class AgentProcess: @unchecked Sendable {
    let directory: String
    private let process: TestProcess

    /// The `edgeprobe` binary built next to the test bundle.
    static var executable: String { BuiltExecutable.path("edgeprobe") }

    /// Starts the agent on `directory`'s `agent.yaml` with `environment` added (outside systemd:
    /// no `NOTIFY_SOCKET` or watchdog unless given); with `closedStdout`, standard output is a pipe
    /// whose reading end is already closed.
    init(directory: String, environment: [String: String] = [:], closedStdout: Bool = false) throws {
        self.directory = directory
        var variables: [String: String?] = ["NOTIFY_SOCKET": nil, "WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]
        for (name, value) in environment { variables[name] = value }
        process = try TestProcess(
            Self.executable, ["agent", "--config", directory + "/agent.yaml"], environment: variables, closedStdout: closedStdout)
    }

    /// Writes the agent's configuration file.
    static func writeConfig(_ yaml: String, in directory: String) {
        _ = FileManager.default.createFile(atPath: directory + "/agent.yaml", contents: Data(yaml.utf8))
    }

    /// The executable the agent's process runs now (after `edgeprobe agent` handed over).
    var runningExecutable: String? { process.runningExecutable }

    // MARK: - Output

    /// Standard output so far, as lines.
    var stdoutLines: [String] { process.stdoutLines }
    /// Standard error so far, as lines.
    var stderrLines: [String] { process.stderrLines }
    /// Standard output's raw text so far.
    var stdoutText: String { process.stdout }

    /// The lines of the file at `path` (an output file of the agent).
    static func lines(_ path: String) -> [String] {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Records of `type` on standard output (or error) so far.
    func records(_ type: String, onStderr: Bool = false) -> [[String: Any]] {
        JSONLines.records(type, in: onStderr ? stderrLines : stdoutLines)
    }

    /// Waits until `condition` holds; `false` after the hang deadline or once the agent has ended
    /// without it holding.
    func waitFor(_ condition: () -> Bool) -> Bool {
        process.waitFor(condition)
    }

    // MARK: - Signals, exit and children

    /// Sends `signal` to the agent.
    func send(_ signal: Int32) {
        process.send(signal)
    }

    /// Waits for the exit: the status, or `nil` after the hang deadline (the agent is then
    /// killed). How fast the agent stops is measured by Benchmarks/stop-latency.sh, not here.
    func waitForExit() -> Int32? {
        process.waitForExit()
    }

    /// Whether the agent exited because of a signal rather than by itself.
    var wasKilledBySignal: Bool { process.wasKilledBySignal }

    /// The port of the agent's latency service, from its `serving on` line (configure
    /// `listen: 127.0.0.1:0` and the kernel picks a free port); `nil` if that line never came.
    func latencyServicePort() -> Int? {
        process.servingPort()
    }

    /// The port of the agent's metrics endpoint, from its `serving on http://HOST:PORT/metrics`
    /// line (configure `listen: 127.0.0.1:0`); `nil` if that line never came.
    func metricsPort() -> Int? {
        process.servingPort(path: "/metrics")
    }

    /// The agent's running child processes (the latency service, a suite) with their arguments.
    var children: [(pid: pid_t, arguments: [String])] { process.children }
}

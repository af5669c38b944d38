import Foundation
import Glibc

/// `edgeprobe agent` started as a child process by a test, with standard output and standard
/// error captured in files that the test reads while it runs.
final class AgentProcess: @unchecked Sendable {
    let directory: String
    private let process = Process()
    private let stdoutPath: String
    private let stderrPath: String

    /// The `edgeprobe` binary built next to the test bundle.
    static var executable: String {
        let bundle = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        let candidates = [bundle.appendingPathComponent("edgeprobe").path]
            + ((try? FileManager.default.contentsOfDirectory(atPath: bundle.path)) ?? []).map { bundle.path + "/" + $0 + "/edgeprobe" }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    /// A fresh directory for a test's config and outputs.
    static func makeDirectory() -> String {
        let path = "/tmp/edgeprobe-agent-test-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Starts `edgeprobe agent --config <directory>/agent.yaml` with `environment` added; with
    /// `closedStdout`, standard output is a pipe whose reading end is already closed.
    init(directory: String, environment: [String: String] = [:], closedStdout: Bool = false) throws {
        self.directory = directory
        stdoutPath = directory + "/stdout.jsonl"
        stderrPath = directory + "/stderr.txt"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["agent", "--config", directory + "/agent.yaml"]
        var inherited = ProcessInfo.processInfo.environment
        inherited["NOTIFY_SOCKET"] = nil
        inherited["WATCHDOG_USEC"] = nil
        inherited["WATCHDOG_PID"] = nil
        process.environment = inherited.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = closedStdout ? pipe : FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        if closedStdout { try pipe.fileHandleForReading.close() }
    }

    /// The executable the agent's process runs now (after `edgeprobe agent` handed over).
    var runningExecutable: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process.processIdentifier)/exe")
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Writes the agent's configuration file.
    static func writeConfig(_ yaml: String, in directory: String) {
        _ = FileManager.default.createFile(atPath: directory + "/agent.yaml", contents: Data(yaml.utf8))
    }

    // MARK: - Output

    /// Standard output so far, as lines.
    var stdoutLines: [String] { Self.lines(stdoutPath) }
    /// Standard error so far, as lines.
    var stderrLines: [String] { Self.lines(stderrPath) }
    /// Standard output's raw text so far.
    var stdoutText: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    static func lines(_ path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Records of `type` on standard output so far.
    func records(_ type: String, onStderr: Bool = false) -> [[String: Any]] {
        (onStderr ? stderrLines : stdoutLines).compactMap(Self.parse).filter { $0["type"] as? String == type }
    }

    /// A JSON object line, or `nil` if the line is not one.
    static func parse(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// Polls until `condition` holds; `false` after `timeoutS`, a deadline that only catches a
    /// hang (a loaded machine may take seconds for what takes milliseconds on an idle one).
    func waitFor(timeoutS: Double = 60, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutS)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    // MARK: - Signals and exit

    /// Sends `signal` to the agent.
    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the exit; returns the status, or `nil` after `timeoutS` (the process is then
    /// killed). The deadline only catches a hang: how fast the agent stops is measured by
    /// Benchmarks/stop-latency.sh, not asserted here.
    func waitForExit(timeoutS: Double = 60) -> Int32? {
        let deadline = Date().addingTimeInterval(timeoutS)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            usleep(5_000)
        }
        return process.terminationStatus
    }

    // MARK: - Children

    /// The port the agent's latency service listens on, read from its `serving on
    /// http://HOST:PORT` line on standard error (configure `listen: 127.0.0.1:0` and the kernel
    /// picks a free port: no port is released and re-taken by a race); `nil` if that line never came.
    func latencyServicePort() -> Int? {
        var port: Int?
        _ = waitFor {
            port = stderrLines.lazy.compactMap { line -> Int? in
                guard let range = line.range(of: "serving on http://") else { return nil }
                return line[range.upperBound...].split(separator: ":").last.flatMap { Int($0) }
            }.first
            return port != nil || !process.isRunning
        }
        return port
    }

    /// The agent's running child processes (the latency service, a suite) with their arguments.
    var children: [(pid: pid_t, arguments: [String])] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/task")) ?? []
        let pids = tasks.flatMap { task in
            ((try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(task)/children", encoding: .utf8)) ?? "")
                .split(separator: " ").compactMap { pid_t($0) }
        }
        return pids.map { pid in
            let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
            return (pid, commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        }
    }

    /// Whether the agent exited because of a signal rather than by itself.
    var wasKilledBySignal: Bool { process.terminationReason == .uncaughtSignal }
}

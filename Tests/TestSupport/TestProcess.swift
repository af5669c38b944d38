import Dispatch
import Foundation
import Glibc

/// A program a test starts: standard output and standard error go to files (no pipe can fill up
/// and block it) that the test reads while it runs, line by line as they come; every wait has a
/// deadline that only catches a hang, after which the process is killed with its descendants. A
/// process still running when the object goes away is killed too.
public final class TestProcess: @unchecked Sendable {
    private let process = Process()
    private let files = TemporaryDirectory(prefix: "process")
    private let stdoutPath: String
    private let stderrPath: String

    /// Starts `executable` with `arguments`. `environment` adds to (or, with a `nil` value,
    /// removes from) the inherited variables; with `closedStdout`, standard output is a pipe whose
    /// reading end is already closed (a reader that went away).
    public init(_ executable: String, _ arguments: [String], environment: [String: String?] = [:], closedStdout: Bool = false) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw TestSupportError("no executable at \(executable): run `swift build` before `swift test`")
        }
        stdoutPath = files.write("", to: "stdout")
        stderrPath = files.write("", to: "stderr")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var inherited = ProcessInfo.processInfo.environment
        for (name, value) in environment { inherited[name] = value }
        process.environment = inherited
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = closedStdout ? pipe : FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        if closedStdout { try pipe.fileHandleForReading.close() }
    }

    deinit {
        if process.isRunning { killTree() }
    }

    /// Kills the process and every descendant it has (SIGKILL), then waits (at most a few seconds)
    /// until Foundation has seen the end: a descendant left running would keep Foundation's exit
    /// notification open, and an orphaned service would outlive the test.
    private func killTree() {
        for pid in [pid] + descendants(of: pid) { kill(pid, SIGKILL) }
        _ = waitUntil(within: .seconds(10), every: .milliseconds(5)) { !process.isRunning }
    }

    private func descendants(of parent: pid_t) -> [pid_t] {
        let children = Self.children(of: parent).map(\.pid)
        return children + children.flatMap(descendants)
    }

    /// Runs `executable` to its end (killed after `deadline`) and returns what it left behind.
    /// The wait sleeps between looks (`Task.sleep`): waiting for a child process never holds one of
    /// the few threads of the concurrency pool the other tests (and services under test) run on.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String?] = [:], deadline: Duration = hangDeadline
    ) async throws -> ProcessResult {
        let running = try TestProcess(executable, arguments, environment: environment)
        guard await running.waitForExit(within: deadline) != nil else {
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) still ran after \(deadline): killed")
        }
        return running.result
    }

    // MARK: - Output

    /// The process identifier.
    public var pid: pid_t { process.processIdentifier }
    /// Whether the process still runs.
    public var isRunning: Bool { process.isRunning }
    /// Standard output so far.
    public var stdout: String { Self.text(stdoutPath) }
    /// Standard error so far.
    public var stderr: String { Self.text(stderrPath) }
    /// Standard output's complete lines so far, without their newlines.
    public var stdoutLines: [String] { Self.lines(stdout) }
    /// Standard error's complete lines so far, without their newlines.
    public var stderrLines: [String] { Self.lines(stderr) }

    private static func text(_ path: String) -> String {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
    }

    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Waits until `condition` holds, or until the process has ended and it still does not;
    /// `false` then or after `deadline`.
    public func waitFor(within deadline: Duration = hangDeadline, _ condition: () -> Bool) async -> Bool {
        _ = await eventually(within: deadline) { condition() || !process.isRunning }
        return condition()
    }

    /// The first line of standard output (or error, with `onStderr`) that `matches`, once written;
    /// `nil` if none came before the process ended or the deadline passed.
    public func line(onStderr: Bool = false, within deadline: Duration = hangDeadline, where matches: (String) -> Bool) async -> String? {
        var found: String?
        _ = await waitFor(within: deadline) {
            found = (onStderr ? stderrLines : stdoutLines).first(where: matches)
            return found != nil
        }
        return found
    }

    // MARK: - Signals and exit

    /// Sends `signal` to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the exit: the exit status (128 + the signal's number when a signal ended it), or
    /// `nil` when it still ran after `deadline` (it is then killed).
    @discardableResult
    public func waitForExit(within deadline: Duration = hangDeadline) async -> Int32? {
        guard await eventually(within: deadline, every: .milliseconds(5), { !process.isRunning }) else {
            killTree()
            return nil
        }
        process.waitUntilExit()
        return status
    }

    /// The exit status of the ended process (128 + the signal's number when a signal ended it).
    public var status: Int32 {
        wasKilledBySignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Whether a signal ended the process rather than an exit of its own.
    public var wasKilledBySignal: Bool { process.terminationReason == .uncaughtSignal }

    /// What the ended process left behind.
    public var result: ProcessResult {
        ProcessResult(status: status, stdout: stdout, stderr: stderr)
    }

    // MARK: - Inside the process

    /// The executable the process runs now (after an `exec`, the new one).
    public var runningExecutable: String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// The process's running children, with their arguments.
    public var children: [(pid: pid_t, arguments: [String])] { Self.children(of: pid) }

    private static func children(of pid: pid_t) -> [(pid: pid_t, arguments: [String])] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        let pids = tasks.flatMap { task in
            text("/proc/\(pid)/task/\(task)/children").split(separator: " ").compactMap { pid_t($0) }
        }
        return pids.map { child in
            let commandLine = FileManager.default.contents(atPath: "/proc/\(child)/cmdline") ?? Data()
            return (child, commandLine.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
        }
    }
}

/// What a finished process left behind.
public struct ProcessResult: Sendable {
    /// The exit status (128 + the signal's number when a signal ended it).
    public var status: Int32
    /// Everything written to standard output.
    public var stdout: String
    /// Everything written to standard error.
    public var stderr: String

    /// Standard output's lines, without the final empty piece.
    public var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
    /// Standard error's lines, without the final empty piece.
    public var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// The executables `swift build` put next to the running test binary.
public enum BuiltExecutable {
    /// The path of the executable `name` (`edgeprobe`, `edgeprobe-agent`) beside the test binary.
    public static func path(_ name: String) -> String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
    }
}

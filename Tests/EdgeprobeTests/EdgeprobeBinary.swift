import Foundation

/// What a finished `edgeprobe` run left behind.
struct CommandResult {
    /// The exit status (or 128 + signal number when a signal ended it).
    var status: Int32
    /// Everything written to standard output.
    var stdout: String
    /// Everything written to standard error.
    var stderr: String

    /// Standard output split into lines, without the final empty piece.
    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Runs the built `edgeprobe` executable, which SwiftPM puts next to the test bundle
/// (`.build/debug/edgeprobe`); `make test` builds it before the tests run.
enum EdgeprobeBinary {
    /// The executable's path, beside the running test binary.
    static var path: String {
        let testExecutable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return testExecutable.deletingLastPathComponent().appendingPathComponent("edgeprobe").path
    }

    /// The repository's root directory (for `Schemas/`, fixtures and scripts).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs `edgeprobe arguments...` to completion and captures its output.
    static func run(_ arguments: [String]) throws -> CommandResult {
        try runProgram(path, arguments)
    }

    /// Runs any program to completion, output captured through temporary files (no pipe deadlocks).
    static func runProgram(_ program: String, _ arguments: [String]) throws -> CommandResult {
        let process = try start(program, arguments)
        process.process.waitUntilExit()
        return process.finish()
    }

    /// Starts `edgeprobe arguments...` without waiting, for tests that signal it; `environment`
    /// adds variables to the inherited ones.
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        try start(path, arguments, environment: environment)
    }

    private static func start(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw BinaryMissing(path: program)
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stdoutURL = directory.appendingPathComponent("stdout"), stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        return RunningCommand(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    /// The executable is not where SwiftPM should have built it.
    struct BinaryMissing: Error, CustomStringConvertible {
        let path: String
        var description: String { "no executable at \(path): run `swift build` before `swift test`" }
    }
}

/// A started `edgeprobe` process and where its output goes.
struct RunningCommand {
    let process: Process
    let stdoutURL: URL
    let stderrURL: URL

    /// Standard output so far.
    var stdoutSoFar: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    /// Standard error so far.
    var stderrSoFar: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds for the output so far (standard error with `onStderr`),
    /// at most `timeoutSeconds`: a deadline that only catches a hang.
    func wait(timeoutSeconds: Double = 60, onStderr: Bool = false, until condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        let output = { onStderr ? stderrSoFar : stdoutSoFar }
        while Date() < deadline {
            if condition(output()) { return true }
            if !process.isRunning { break }
            usleep(10_000)
        }
        return condition(output())
    }

    /// The port of `latency --serve` once it listens, from its `serving on http://HOST:PORT` line
    /// (start it with `--listen 127.0.0.1:0` and the kernel picks a free port); `nil` if the line
    /// never came.
    func servingPort() -> Int? {
        var port: Int?
        _ = wait(onStderr: true) { text in
            port = text.split(separator: "\n").lazy.compactMap { line -> Int? in
                guard let range = line.range(of: "serving on http://") else { return nil }
                return line[range.upperBound...].split(separator: ":").last.flatMap { Int($0) }
            }.first
            return port != nil
        }
        return port
    }

    /// Waits up to `timeoutSeconds` for the process to exit; kills it (SIGKILL) if it does not.
    /// - Returns: whether it exited by itself.
    func waitForExit(timeoutSeconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        guard process.isRunning else { return true }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return false
    }

    /// Collects the result of the exited process.
    func finish() -> CommandResult {
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return CommandResult(
            status: status, stdout: stdoutSoFar,
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "")
    }
}

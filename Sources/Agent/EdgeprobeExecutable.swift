import Glibc

/// The full `edgeprobe` executable, which the agent starts as a child process for everything it
/// does not link itself: a scheduled suite (`edgeprobe bench`), the latency service and the
/// checks of a reloaded configuration that read profiles, each in a `Role` of its own.
///
/// The agent runs from the small `edgeprobe-agent` (no Foundation, kernels, models or HTTP
/// server), so its resident set stays small while it idles between suites.
public struct EdgeprobeExecutable: Sendable, Equatable {
    /// The executable's path.
    public let path: String

    /// The executable at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The hidden subcommands of the full `edgeprobe` that the agent starts as children.
    public enum Role: String, Sendable, CaseIterable {
        /// `edgeprobe agent-check --config PATH`: check a configuration with everything it names
        /// (profiles, the latency service's token file); say what is wrong and exit 1, or exit 0.
        case check = "agent-check"
        /// `edgeprobe agent-latency-service --config PATH --board-lock PATH`: serve the
        /// configuration's `latency_service`, holding the board lock around every measurement.
        case latencyService = "agent-latency-service"

        /// The subcommand's name.
        public var commandName: String { rawValue }
    }

    // MARK: - Children

    /// Runs `entry` on `board` as `edgeprobe bench` (or `edgeprobe soak` for a soak entry), JSON
    /// lines on standard output; a suite samples telemetry every `sampleInterval`, a soak at its
    /// own default (a tenth of its window).
    func benchArguments(_ entry: AgentConfiguration.ScheduledSuite, board: String, sampleInterval: Duration) -> [String] {
        if let soak = entry.soak {
            return [
                "soak", "--arch", entry.suite, "--board", board, "--warmup", String(entry.warmup),
                "--duration", String(soak.durationS), "--window", String(soak.windowS), "--format", "json",
            ]
        }
        return [
            "bench", "--suite", entry.suite, "--board", board, "--warmup", String(entry.warmup),
            "--min-iterations", String(entry.minIterations), "--min-time", String(entry.minTimeS),
            "--sample-interval", String(Double(sampleInterval.components.attoseconds) / 1e18 + Double(sampleInterval.components.seconds)),
            "--format", "json",
        ]
    }

    /// What is wrong with the configuration at `path`, checked with the profiles and token file
    /// it names (`Role.check`), or `nil` when it is valid. Blocks.
    func problem(withConfiguration path: String) -> String? {
        let child: ChildProcess
        do {
            child = try ChildProcess(executable: self.path, arguments: [Role.check.commandName, "--config", path], capturing: STDERR_FILENO)
        } catch {
            return error.description
        }
        let text = Self.message(child.readAll())
        let termination = child.wait()
        guard termination != .exited(0) else { return nil }
        return text.isEmpty ? "edgeprobe \(Role.check.commandName) \(termination)" : text
    }

    /// A child's message on standard error without the program's prefix and the last newline.
    static func message(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" { text.removeLast() }
        let prefix = "edgeprobe: "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// Serves the configuration's `latency_service`, taking the board lock at `boardLock` around
    /// every measurement (`Role.latencyService`).
    func latencyServiceArguments(configuration path: String, boardLock: String) -> [String] {
        [Role.latencyService.commandName, "--config", path, "--board-lock", boardLock]
    }
}

/// How a soak runs, after the board profile's defaults are applied.
public struct SoakConfiguration: Sendable {
    /// Total length of the measured windows, seconds.
    public var durationS: Double
    /// Length of one window, seconds.
    public var windowS: Double
    /// Inferences started per second, or `nil` for back to back.
    public var ratePerS: Double?
    /// Untimed inferences before the first window.
    public var warmup: Int
    /// Wait before the first window until the hottest sensor is below this; `nil` for no wait.
    public var cooldownToC: Double?
    /// Longest wait for the cooldown, seconds.
    public var cooldownTimeoutS: Double
    /// Benchmark threads.
    public var threads: Int
    /// CPUs the threads are pinned to, or `nil`.
    public var cpus: [Int]?
    /// The cluster of those CPUs (`big`, `little`, `all`, `mixed`), or `nil` when unpinned.
    public var cluster: String?
    /// The board profile's name.
    public var board: String

    /// A configuration with every figure given.
    public init(
        durationS: Double, windowS: Double, ratePerS: Double?, warmup: Int, cooldownToC: Double?,
        cooldownTimeoutS: Double, threads: Int, cpus: [Int]?, cluster: String?, board: String
    ) {
        self.durationS = durationS
        self.windowS = windowS
        self.ratePerS = ratePerS
        self.warmup = warmup
        self.cooldownToC = cooldownToC
        self.cooldownTimeoutS = cooldownTimeoutS
        self.threads = threads
        self.cpus = cpus
        self.cluster = cluster
        self.board = board
    }

    /// The problem with the duration, window and rate, naming the option, or `nil` when they fit
    /// together: both positive, the window no longer than the duration, a rate above 0 that
    /// starts at least one inference per window.
    public static func problem(durationS: Double, windowS: Double, ratePerS: Double?) -> String? {
        if !(durationS > 0) { return "--duration must be positive" }
        if !(windowS > 0) { return "--window must be positive" }
        if windowS > durationS { return "--window (\(windowS) s) must not be longer than --duration (\(durationS) s)" }
        if let ratePerS {
            if !(ratePerS > 0) { return "--rate must be above 0 per second" }
            if ratePerS * windowS < 1 {
                return "--rate \(ratePerS)/s starts fewer than one inference per \(windowS) s window"
            }
        }
        return nil
    }
}

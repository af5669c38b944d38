import Configuration
import Kernels

/// What a board profile in `Profiles/boards/` sets: default threads, cores to pin, thermal limits.
public struct BoardProfile: Sendable, Equatable {
    /// The profile's name, e.g. `raspberry-pi-4`.
    public let name: String
    /// The board, in words.
    public let description: String
    /// Default benchmark thread count.
    public let threads: Int
    /// CPUs to pin benchmark threads to, in worker order; `nil` leaves scheduling to the kernel.
    public let cpus: [Int]?
    /// Default `--cooldown-to`: wait before each benchmark until the hottest sensor is below this.
    public let cooldownToC: Double?
    /// How long a cooldown may wait before the benchmark runs anyway (with a warning), in seconds.
    public let cooldownTimeoutS: Double
    /// A temperature above which results are flagged: the board's firmware starts to throttle.
    public let throttleTempC: Double?

    /// Reads and validates a board profile.
    /// - Throws: `ConfigError` naming the file and the field.
    public static func load(path: String) throws(ConfigError) -> BoardProfile {
        var entry = try ConfigMapping.document(yaml: try ConfigFile.read(path), file: path)
        let profile = BoardProfile(
            name: try entry.requiredString("name"),
            description: try entry.string("description") ?? "",
            threads: try entry.positiveInt("threads") ?? 1,
            cpus: try entry.intList("cpus"),
            cooldownToC: try entry.double("cooldown_to_c"),
            cooldownTimeoutS: try entry.double("cooldown_timeout_s") ?? 120,
            throttleTempC: try entry.double("throttle_temp_c"))
        try entry.rejectUnknownKeys()
        if let problem = ThreadPool.problem(threads: profile.threads) {
            throw entry.error("threads", problem)
        }
        if let cpus = profile.cpus, cpus.isEmpty {
            throw entry.error("cpus", "must list at least one CPU, or be left out")
        }
        guard profile.cooldownTimeoutS > 0 else {
            throw entry.error("cooldown_timeout_s", "must be positive")
        }
        return profile
    }
}

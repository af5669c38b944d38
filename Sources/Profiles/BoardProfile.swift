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
    /// - Throws: `ProfileError` naming the file and the field.
    public static func load(path: String) throws(ProfileError) -> BoardProfile {
        var entry = try ProfileEntry.document(yaml: try ProfileFile.read(path), file: path)
        let profile = BoardProfile(
            name: try entry.string("name"),
            description: try entry.optionalString("description") ?? "",
            threads: try entry.optionalPositiveInt("threads") ?? 1,
            cpus: try entry.optionalIntList("cpus"),
            cooldownToC: try entry.optionalDouble("cooldown_to_c"),
            cooldownTimeoutS: try entry.optionalDouble("cooldown_timeout_s") ?? 120,
            throttleTempC: try entry.optionalDouble("throttle_temp_c"))
        try entry.rejectUnknownFields()
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

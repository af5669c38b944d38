import ArgumentParser
import CommandLineSupport
import Kernels
import Measurement
import Profiles
import Telemetry

/// How every benchmarking command measures: the board profile, threads and CPUs, warm-up,
/// iterations and time, telemetry sampling and the seed. One declaration for `bench`,
/// `compress`, `latency`, `lut`, `latency serve` and `soak`; only `Defaults` differ.
struct MeasurementOptions<Defaults: MeasurementDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp("Board profile name in Profiles/boards, or a path.", valueName: "name|path"))
    var board = "generic"

    @Option(parsing: .unconditional, help: "Benchmark threads (default: the board profile's).")
    var threads: Int?

    @Option(help: ArgumentHelp("CPUs to pin benchmark threads to: big, little, all (big.LITTLE clusters), or a list such as 0,1 (default: the board profile's).", valueName: "big|little|all|list"))
    var cpus: CPUSelectionArgument?

    @Option(parsing: .unconditional, help: "Untimed warm-up iterations per \(Defaults.unit).")
    var warmup = Defaults.policy.warmupIterations

    @Option(parsing: .unconditional, help: ArgumentHelp("Fewest timed iterations per \(Defaults.unit).", visibility: Self.timedPolicyVisibility))
    var minIterations = Defaults.policy.minIterations

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Least timed duration per \(Defaults.unit), e.g. 500ms, 2s.", valueName: "duration", visibility: Self.timedPolicyVisibility))
    var minTime = DurationArgument(.seconds(Defaults.policy.minTimeS))

    @Option(parsing: .unconditional, help: ArgumentHelp("Telemetry sampling interval while measuring.", valueName: "duration"))
    var sampleInterval = DurationArgument(.milliseconds(100))

    @Option(parsing: .unconditional, help: "Seed of the random weights and inputs.")
    var seed: UInt64 = 1

    /// `--min-iterations` and `--min-time` are shown unless the command runs for a duration.
    private static var timedPolicyVisibility: ArgumentVisibility { Defaults.runsForADuration ? .hidden : .default }

    func validate() throws {
        // The kernels' instruction-set cap comes from the environment, but is checked with the options:
        // every command that runs kernels has them.
        try InstructionSetCap.validateEnvironment()
        if let threads, let problem = ThreadPool.problem(threads: threads) { throw ValidationError("--threads: \(problem)") }
        try cpus?.validateOnline()
        if warmup < 0 { throw ValidationError("--warmup must not be negative, got \(warmup)") }
        if minIterations < 1 { throw ValidationError("--min-iterations must be at least 1, got \(minIterations)") }
        if minTime.seconds < 0 { throw ValidationError("--min-time must not be negative, got \(minTime)") }
        if sampleInterval.seconds < 0.01 { throw ValidationError("--sample-interval must be at least 10ms, got \(sampleInterval)") }
        try cpus?.validate(on: CPUClusters(root: "/"))
    }

    /// Loads the board profile named by `--board` and fills in what the command line left to it,
    /// fitted to this machine (`MachineFit`): each difference is a warning on standard error
    /// and in `warnings`.
    /// - Throws: `ConfigError` naming the board file and the problem.
    func resolved(locator: ProfileLocator, clusters: CPUClusters = CPUClusters(root: "/")) throws(ConfigError) -> ResolvedMeasurement {
        let profile = try BoardProfile.load(path: try locator.locate(board, kind: "boards"))
        // A cluster the board lacks was refused by validate(); the profile's CPUs are the fallback.
        let fit = MachineFit(
            threads: threads ?? profile.threads, cpus: cpus.flatMap { $0.cpus(on: clusters) } ?? profile.cpus,
            source: "board profile \(profile.name)", online: CPUList.online() ?? Array(0..<CPUAffinity.onlineCPUCount))
        for warning in fit.warnings { printError("warning: \(warning)") }
        return ResolvedMeasurement(
            board: profile, threads: fit.threads, cpus: fit.cpus, cluster: fit.cpus.flatMap(clusters.clusterName(of:)),
            policy: MeasurementPolicy(warmupIterations: warmup, minIterations: minIterations, minTimeS: minTime.seconds),
            sampleInterval: sampleInterval, seed: seed, warnings: fit.warnings)
    }
}

extension MeasurementOptions {
    /// `resolved(locator:)` with the standard profile search; a board profile that cannot be
    /// read is said on standard error and exits 1.
    func resolvedOrExit() throws -> ResolvedMeasurement {
        do {
            return try resolved(locator: ProfileLocator.standard())
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
    }
}

/// What a command measures with: its options after the board profile's defaults.
struct ResolvedMeasurement {
    /// The board profile in effect.
    let board: BoardProfile
    /// Benchmark threads.
    let threads: Int
    /// CPUs to pin them to; `nil` leaves scheduling to the kernel.
    let cpus: [Int]?
    /// The cluster those CPUs form (`big`, `little`, `all`, `mixed`), or `nil` when unpinned.
    let cluster: String?
    /// Warm-up, fewest iterations and least time.
    let policy: MeasurementPolicy
    /// Telemetry sampling interval.
    let sampleInterval: DurationArgument
    /// Seed of the random weights and inputs.
    let seed: UInt64
    /// Where this differs from what the board profile asked (CPUs or threads the machine lacks).
    let warnings: [String]
}

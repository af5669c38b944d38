import AgentConfig
import Measurement
import Models

/// Where a command's measurement options start when the command line leaves them out. The
/// board profile then supplies threads and CPUs (`MeasurementOptions.resolved(locator:)`).
protocol MeasurementDefaults {
    /// Warm-up, fewest iterations and least time.
    static var policy: MeasurementPolicy { get }
    /// What one measurement times, as the help names it (`layer`, `variant`, `network`).
    static var unit: String { get }
    /// Whether the command's length is its `--duration` (`soak`), so `--min-iterations` and
    /// `--min-time` are left out of its help (and refused by the command).
    static var runsForADuration: Bool { get }
}

extension MeasurementDefaults {
    static var runsForADuration: Bool { false }
}

/// The defaults of commands that measure whole networks: a conservative percentile and size limits too.
protocol NetworkMeasurementDefaults: MeasurementDefaults {
    /// Upper percentile reported as the conservative latency.
    static var percentile: Int { get }
    /// Largest architecture accepted.
    static var limits: ArchitectureLimits { get }
}

/// `bench`: each layer of a suite, `MeasurementPolicy`'s own defaults.
enum SuiteLayerDefaults: MeasurementDefaults {
    static let policy = MeasurementPolicy()
    static let unit = "layer"
}

/// `compress`: each variant of a model; more iterations, the variants are fast and close together.
enum CompressionVariantDefaults: MeasurementDefaults {
    static let policy = MeasurementPolicy(warmupIterations: 20, minIterations: 50, minTimeS: 1)
    static let unit = "variant"
}

/// `latency` and `lut`: one network (or block) at a time, two seconds each.
enum NetworkDefaults: NetworkMeasurementDefaults {
    static let policy = MeasurementPolicy(minTimeS: 2)
    static let unit = "network"
    static let percentile = 90
    static let limits = ArchitectureLimits()
}

/// `latency serve`: the agent's `latency_service:` defaults (`LatencyServiceDefaults`), so the
/// service measures alike however it was started.
enum LatencyServiceMeasurementDefaults: NetworkMeasurementDefaults {
    static let policy = LatencyServiceDefaults.policy
    static let unit = "request"
    static let percentile = LatencyServiceDefaults.percentile
    static let limits = ArchitectureLimits(maxMacs: LatencyServiceDefaults.maxMacs, maxMemoryBytes: LatencyServiceDefaults.maxMemoryBytes)
}

/// `soak`: one workload for `--duration`; only the warm-up applies (a soak's length is its
/// duration, so `--min-iterations` and `--min-time` must stay at these values).
enum SoakDefaults: MeasurementDefaults {
    static let policy = MeasurementPolicy(warmupIterations: 5, minIterations: 1, minTimeS: 0)
    static let unit = "soak"
    static let runsForADuration = true
}

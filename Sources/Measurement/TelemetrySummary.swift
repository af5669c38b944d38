import Reports

/// What the telemetry sampler saw while one benchmark ran.
public struct TelemetrySummary: Codable, Sendable, Equatable {
    /// Samples taken during the benchmark.
    public var samples: Int
    /// Mean whole-machine CPU utilization, percent.
    @Nullable public var cpuBusyPctMean: Double?
    /// Highest whole-machine CPU utilization seen, percent.
    @Nullable public var cpuBusyPctMax: Double?
    /// Coolest reading of the hottest sensor, degrees Celsius.
    @Nullable public var tempCMin: Double?
    /// Hottest reading of any sensor, degrees Celsius.
    @Nullable public var tempCMax: Double?
    /// Lowest current frequency of any core, hertz.
    @Nullable public var freqHzMin: Double?
    /// Highest current frequency of any core, hertz.
    @Nullable public var freqHzMax: Double?
    /// Whether a throttle indicator fired or a throttle counter moved; null without indicators.
    @Nullable public var throttled: Bool?
    /// Largest resident set size of this process, bytes.
    @Nullable public var rssBytesMax: Int?
    /// Mean time one full sample took, microseconds: the sampler's own cost.
    @Nullable public var samplerCostUs: Double?
    /// Why a figure above is null.
    public var unavailable: [String: String]

    /// A summary with every figure given.
    public init(
        samples: Int, cpuBusyPctMean: Double?, cpuBusyPctMax: Double?, tempCMin: Double?, tempCMax: Double?,
        freqHzMin: Double?, freqHzMax: Double?, throttled: Bool?, rssBytesMax: Int?, samplerCostUs: Double?,
        unavailable: [String: String]
    ) {
        self.samples = samples
        self.cpuBusyPctMean = cpuBusyPctMean
        self.cpuBusyPctMax = cpuBusyPctMax
        self.tempCMin = tempCMin
        self.tempCMax = tempCMax
        self.freqHzMin = freqHzMin
        self.freqHzMax = freqHzMax
        self.throttled = throttled
        self.rssBytesMax = rssBytesMax
        self.samplerCostUs = samplerCostUs
        self.unavailable = unavailable
    }
}

import Reports
import Telemetry

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
}

extension TelemetrySummary {
    /// Summarizes the samples taken while a benchmark ran.
    public init(samples: [Sample]) {
        var unavailable: [String: String] = [:]
        func range<T: Comparable>(_ values: [T], _ key: String, _ reason: String) -> (T?, T?) {
            if values.isEmpty { unavailable[key] = reason }
            return (values.min(), values.max())
        }
        let busy = samples.compactMap(\.cpu.busyPct)
        let temperatures = range(samples.compactMap(\.hottestC), "temp", "no temperature sensor")
        let lowest = range(samples.compactMap(\.lowestCurHz), "freq", "no cpufreq")
        let highest = samples.compactMap(\.highestCurHz).max()
        if busy.isEmpty { unavailable["cpu_busy"] = "fewer than two samples during the benchmark" }
        let throttleFlags = samples.compactMap(\.throttle.throttled)
        if throttleFlags.isEmpty { unavailable["throttled"] = "no throttle indicators" }
        let rss = samples.compactMap(\.process.rssBytes).max()
        let costs = samples.map(\.collectUs)
        self.init(
            samples: samples.count,
            cpuBusyPctMean: busy.isEmpty ? nil : busy.reduce(0, +) / Double(busy.count),
            cpuBusyPctMax: busy.max(),
            tempCMin: temperatures.0, tempCMax: temperatures.1,
            freqHzMin: lowest.0.map(Double.init), freqHzMax: highest.map(Double.init),
            throttled: throttleFlags.isEmpty ? nil : throttleFlags.contains(true),
            rssBytesMax: rss.map(Int.init),
            samplerCostUs: costs.isEmpty ? nil : costs.reduce(0, +) / Double(costs.count),
            unavailable: unavailable)
    }

    /// A summary saying no probe sampled the run.
    public init(withoutProbe: Void) {
        self.init(
            samples: 0, cpuBusyPctMean: nil, cpuBusyPctMax: nil, tempCMin: nil, tempCMax: nil, freqHzMin: nil,
            freqHzMax: nil, throttled: nil, rssBytesMax: nil, samplerCostUs: nil,
            unavailable: ["telemetry": "no telemetry probe for this measurement"])
    }
}

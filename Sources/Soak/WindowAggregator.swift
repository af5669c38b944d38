import Engines
import Measurement
import Telemetry

/// Turns one window's latencies and telemetry into a `window` record. Pure: everything it needs
/// is passed in, so it is tested on hand-made samples.
public struct WindowAggregator: Sendable {
    /// CPUs the workload runs on; `nil` when the kernel places it (then every CPU counts).
    public var cpus: [Int]?
    /// Each CPU's hardware maximum frequency (`cpuinfo_max_freq`), for capped-frequency checks.
    public var maxFrequencyHz: [Int: UInt64]
    /// The board profile's `throttle_temp_c`.
    public var throttleTempC: Double?

    /// An aggregator for a workload on `cpus`.
    public init(cpus: [Int]?, maxFrequencyHz: [Int: UInt64], throttleTempC: Double?) {
        self.cpus = cpus
        self.maxFrequencyHz = maxFrequencyHz
        self.throttleTempC = throttleTempC
    }

    /// The record of window `index` from `startS` to `endS` (seconds since the soak began);
    /// `nil` when no inference finished in it.
    /// - Parameters:
    ///   - samples: telemetry sampled during the window, in time order.
    ///   - power: the board's input power at each sample (`nil` entries where it gave none).
    ///   - powerUnavailable: why power is missing, when the board has no power sensor.
    ///   - engine: the engine whose inferences `latenciesUs` timed.
    ///   - energyShare: the part of the window's energy that is this engine's (with two engines
    ///     taking turns, its share of their busy time; 1 with one engine).
    public func window(
        index: Int, startS: Double, endS: Double, latenciesUs: [Double], samples: [Sample],
        power: [Double?], powerUnavailable: String?, engine: Engine, energyShare: Double
    ) -> WindowRecord? {
        guard let statistics = LatencyStatistics(latenciesUs) else { return nil }
        var unavailable: [String: String] = [:]

        let busy = samples.compactMap { sample -> Double? in
            guard let cpus else { return sample.cpu.busyPct }
            let shares = sample.cpu.cores.filter { cpus.contains($0.cpu) }.compactMap(\.busyPct)
            return shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count)
        }
        if busy.isEmpty { unavailable["cpu_busy_pct"] = "fewer than two telemetry samples in the window" }

        var chipMax: [String: Double] = [:]
        for sample in samples {
            for reading in sample.temperatures {
                guard let value = reading.inputC else { continue }
                chipMax[reading.chip] = Swift.max(chipMax[reading.chip] ?? value, value)
            }
        }
        let hottest = chipMax.values.max()
        if hottest == nil { unavailable["hottest_c"] = "no temperature sensor" }

        var frequencies: [String: WindowRecord.FrequencyRange] = [:]
        for sample in samples {
            for core in sample.cpufreq {
                guard let current = core.curHz else { continue }
                let key = String(core.cpu)
                let known = frequencies[key]
                frequencies[key] = WindowRecord.FrequencyRange(
                    min: Swift.min(known?.min ?? current, current), max: Swift.max(known?.max ?? current, current))
            }
        }
        if frequencies.isEmpty { unavailable["frequency_hz"] = "no cpufreq (no scaling driver, or a virtual machine)" }

        let judgement = ThrottleJudgement(
            samples: samples, cpus: cpus, maxFrequencyHz: maxFrequencyHz, throttleTempC: throttleTempC)
        unavailable.merge(judgement.unavailable) { first, _ in first }

        let watts = power.compactMap { $0 }
        let meanWatts = watts.isEmpty ? nil : watts.reduce(0, +) / Double(watts.count)
        if meanWatts == nil {
            unavailable["power_w"] = powerUnavailable ?? (samples.isEmpty ? "no telemetry sample in the window" : "the power sensor did not answer")
        }
        let energy = meanWatts.map { $0 * (endS - startS) * energyShare / Double(latenciesUs.count) }
        if energy == nil { unavailable["energy_per_inference_j"] = "no power reading" }

        unavailable["p50_ratio_edgeprobe_to_xnnpack"] = EngineRatio.oneEngineReason
        return WindowRecord(
            index: index, startS: startS, endS: endS, engine: engine.rawValue, inferences: latenciesUs.count, latencyUs: statistics,
            cpuBusyPct: busy.isEmpty ? nil : busy.reduce(0, +) / Double(busy.count),
            hottestC: hottest, chipMaxC: chipMax, frequencyHz: frequencies,
            freqCapped: judgement.frequencyCapped, throttled: judgement.throttled, throttleCause: judgement.causes,
            powerW: meanWatts, energyPerInferenceJ: energy, p50RatioEdgeprobeToXnnpack: nil, unavailable: unavailable)
    }
}

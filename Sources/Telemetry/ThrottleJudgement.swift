/// Whether the CPU was held back during a stretch of samples, and by what.
///
/// Causes, in the order they are reported:
/// - `pi_under_voltage_now`, `pi_capped_now`, `pi_throttled_now`, `pi_soft_temp_limit_now`: the
///   Raspberry Pi firmware's `get_throttled` bits 0–3 in any sample;
/// - `x86_throttle_count`: an x86 `thermal_throttle` counter moved;
/// - `frequency_capped`: in at least half the samples where a watched CPU was busy (≥ 90 %), its
///   current frequency was below 98 % of its hardware maximum (`cpuinfo_max_freq`, else the
///   policy's `scaling_max_freq`);
/// - `temp_limit`: the hottest sensor reached the board profile's `throttle_temp_c`.
public struct ThrottleJudgement: Sendable, Equatable {
    /// Whether any cause was seen; `nil` when no indicator could be read at all.
    public var throttled: Bool?
    /// The causes seen, in the order above.
    public var causes: [String]
    /// Whether a busy CPU ran below its maximum frequency; `nil` without cpufreq or busy CPUs.
    public var frequencyCapped: Bool?
    /// Why an indicator could not be judged, keyed by the indicator.
    public var unavailable: [String: String]

    /// A busy CPU is one at least this busy.
    public static let busyPct = 90.0
    /// A busy CPU below this share of its maximum frequency is capped.
    public static let cappedShare = 0.98

    /// Judges `samples` (in time order). `cpus` are the CPUs to watch for capped frequencies
    /// (the benchmark's; every CPU when `nil`); `maxFrequencyHz` their hardware maxima.
    public init(samples: [Sample], cpus: [Int]?, maxFrequencyHz: [Int: UInt64], throttleTempC: Double?) {
        causes = []
        unavailable = [:]
        var anyIndicator = false

        let piBits = samples.compactMap(\.throttle.piThrottledBits)
        if !piBits.isEmpty {
            anyIndicator = true
            let seen = piBits.reduce(0, |)
            let names = ["pi_under_voltage_now", "pi_capped_now", "pi_throttled_now", "pi_soft_temp_limit_now"]
            for (bit, name) in names.enumerated() where seen & (1 << bit) != 0 {
                causes.append(name)
            }
        }

        let counted = samples.filter { $0.throttle.coreThrottleCount != nil || $0.throttle.packageThrottleCount != nil }
        if !counted.isEmpty {
            anyIndicator = true
            // The collector sets `throttled` from counter deltas; Pi bits are judged above.
            let moved = counted.contains { sample in
                sample.throttle.throttled == true && (sample.throttle.piThrottledBits ?? 0) & 0xF == 0
            }
            if moved { causes.append("x86_throttle_count") }
        }

        frequencyCapped = Self.frequencyCapped(samples: samples, cpus: cpus, maxFrequencyHz: maxFrequencyHz, unavailable: &unavailable)
        if let frequencyCapped {
            anyIndicator = true
            if frequencyCapped { causes.append("frequency_capped") }
        }

        let hottest = samples.compactMap(\.hottestC).max()
        if let throttleTempC, let hottest {
            anyIndicator = true
            if hottest >= throttleTempC { causes.append("temp_limit") }
        } else {
            unavailable["temp_limit"] = throttleTempC == nil ? "the board profile sets no throttle_temp_c" : "no temperature sensor"
        }

        if anyIndicator {
            throttled = !causes.isEmpty
        } else {
            throttled = nil
            unavailable["throttled"] = "no get_throttled, thermal_throttle counters, cpufreq or throttle temperature"
        }
    }

    /// Whether the watched CPUs ran capped while busy in at least half their busy samples.
    private static func frequencyCapped(
        samples: [Sample], cpus: [Int]?, maxFrequencyHz: [Int: UInt64], unavailable: inout [String: String]
    ) -> Bool? {
        var busySamples = 0, cappedSamples = 0
        var sawFrequency = false
        for sample in samples {
            var busy: [Int: Double] = [:]
            for core in sample.cpu.cores { busy[core.cpu] = core.busyPct }
            var sampleBusy = false, sampleCapped = false
            for core in sample.cpufreq where cpus?.contains(core.cpu) ?? true {
                guard let current = core.curHz, let maximum = maxFrequencyHz[core.cpu] ?? core.maxHz else { continue }
                sawFrequency = true
                guard let share = busy[core.cpu], share >= busyPct else { continue }
                sampleBusy = true
                if Double(current) < cappedShare * Double(maximum) { sampleCapped = true }
            }
            if sampleBusy { busySamples += 1 }
            if sampleCapped { cappedSamples += 1 }
        }
        guard sawFrequency else {
            unavailable["freq_capped"] = "no cpufreq current and maximum frequencies"
            return nil
        }
        guard busySamples > 0 else {
            unavailable["freq_capped"] = "no watched CPU was busy (≥ \(Int(busyPct)) %) in a sample"
            return nil
        }
        return 2 * cappedSamples >= busySamples
    }
}

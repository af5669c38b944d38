import Measurement
import Reports

/// One window of a soak: the `window` record (field names agreed in the soak records note).
public struct WindowRecord: Record, Equatable {
    /// `"window"`.
    public static let recordType = "window"

    /// The lowest and highest current frequency a CPU showed during the window, in Hz.
    public struct FrequencyRange: Encodable, Sendable, Equatable {
        /// Lowest `scaling_cur_freq` sampled.
        public var min: UInt64
        /// Highest `scaling_cur_freq` sampled.
        public var max: UInt64
    }

    /// 0-based position in the soak.
    public var index: Int
    /// Start, seconds after the soak's first window began.
    public var startS: Double
    /// End, seconds after the soak's first window began.
    public var endS: Double
    /// The engine whose inferences the record times: `edgeprobe` or `xnnpack`.
    public var engine: String
    /// Inferences finished in the window.
    public var inferences: Int
    /// Latency statistics of those inferences (same shape as `bench`).
    public var latencyUs: LatencyStatistics
    /// Mean busy share of the CPUs the workload runs on (every CPU when it is not pinned).
    @Nullable public var cpuBusyPct: Double?
    /// The hottest temperature sampled, any sensor.
    @Nullable public var hottestC: Double?
    /// Each chip's (or thermal zone's) highest temperature sampled.
    public var chipMaxC: [String: Double]
    /// Each CPU's current frequency range, keyed by the CPU number.
    public var frequencyHz: [String: FrequencyRange]
    /// Whether a busy workload CPU ran below its maximum frequency (see `ThrottleJudgement`).
    @Nullable public var freqCapped: Bool?
    /// Whether any throttle cause was seen.
    @Nullable public var throttled: Bool?
    /// The causes seen: `pi_throttled_now`, `x86_throttle_count`, `frequency_capped`, `temp_limit`, …
    public var throttleCause: [String]
    /// Mean board input power sampled during the window.
    @Nullable public var powerW: Double?
    /// Board energy over the window divided by its inferences (idle power included); with two
    /// engines, the engine's share of it (its share of their busy time).
    @Nullable public var energyPerInferenceJ: Double?
    /// With `--engine both`: edgeprobe's p50 over XNNPACK's in this window, the engines taking turns
    /// through it (the same value in both engines' records); null with one engine.
    @Nullable public var p50RatioEdgeprobeToXnnpack: Double?
    /// Why each `null` figure is null.
    public var unavailable: [String: String]

    /// Duration of the window in seconds.
    public var durationS: Double { endS - startS }

    enum CodingKeys: String, CodingKey {
        case index, startS, endS, engine, inferences, latencyUs, cpuBusyPct, hottestC, chipMaxC, frequencyHz, freqCapped
        case throttled, throttleCause, powerW, energyPerInferenceJ, p50RatioEdgeprobeToXnnpack, unavailable
    }

    /// Sets the ratio of the window's two engines (nil with one engine, keeping the reason).
    public mutating func setRatio(_ ratio: Double?) {
        p50RatioEdgeprobeToXnnpack = ratio
        if ratio != nil { unavailable["p50_ratio_edgeprobe_to_xnnpack"] = nil }
    }
}

import Engines

/// The arithmetic of a soak's summary, from its windows. Pure, so each figure is unit-tested.
public enum SoakSummary {
    /// MLPerf Inference SingleStream's minimum number of queries.
    public static let mlperfMinimumQueries = 1024
    /// MLPerf Inference SingleStream's minimum run length, seconds.
    public static let mlperfMinimumDurationS = 600.0
    /// The heating rate is fitted over the windows whose middle lies within this many seconds of the start.
    public static let heatingFitS = 180.0

    /// What the summary needs besides the windows.
    public struct Context: Sendable {
        /// What ran.
        public var workload: SoakWorkloadDescription
        /// Requested duration and window length, seconds.
        public var durationS: Double, windowS: Double
        /// Inferences per second asked for, or `nil` for back to back.
        public var ratePerS: Double?
        /// Threads, pinned CPUs and their cluster.
        public var threads: Int, cpus: [Int]?, cluster: String?
        /// The board profile's name.
        public var board: String
        /// Seconds spent cooling before the first window.
        public var cooldownWaitS: Double?
        /// Hottest sensor just before the first window.
        public var startTempC: Double?
        /// The signal that interrupted the soak, or `nil`.
        public var signal: String?

        /// A context with every figure given.
        public init(
            workload: SoakWorkloadDescription, durationS: Double, windowS: Double, ratePerS: Double?,
            threads: Int, cpus: [Int]?, cluster: String?, board: String, cooldownWaitS: Double?,
            startTempC: Double?, signal: String?
        ) {
            self.workload = workload
            self.durationS = durationS
            self.windowS = windowS
            self.ratePerS = ratePerS
            self.threads = threads
            self.cpus = cpus
            self.cluster = cluster
            self.board = board
            self.cooldownWaitS = cooldownWaitS
            self.startTempC = startTempC
            self.signal = signal
        }
    }

    /// The `soak` record of `engine`'s `windows` (in order), with its whole-run latencies in `histogram`.
    public static func record(
        windows: [WindowRecord], histogram: LatencyHistogram, context: Context, engine: Engine
    ) -> SoakRecord {
        var unavailable: [String: String] = [:]
        let inferences = windows.reduce(0) { $0 + $1.inferences }

        let burst = windows.first?.latencyUs.p50
        let sustained = sustainedP50(windows)
        if windows.isEmpty {
            unavailable["burst_p50_us"] = "no window finished"
            unavailable["sustained_p50_us"] = "no window finished"
        }
        let ratio = burst.flatMap { burst in sustained.map { $0 / burst } }

        let throttledWindow = windows.first { $0.throttled == true }
        if throttledWindow == nil {
            unavailable["time_to_throttle_s"] = windows.contains { $0.throttled != nil }
                ? "no window was throttled" : "no throttle indicator on this board"
        }

        let temperatures = windows.compactMap(\.hottestC) + (context.startTempC.map { [$0] } ?? [])
        if temperatures.isEmpty { unavailable["max_temp_c"] = "no temperature sensor" }
        if context.startTempC == nil { unavailable["start_temp_c"] = "no temperature sensor" }
        let heating = heatingRate(windows)
        if heating == nil { unavailable["heating_rate_c_per_min"] = "fewer than two windows with a temperature" }

        let p90 = histogram.percentile(0.9)
        if p90 == nil { unavailable["p90_us"] = "no inference finished" }
        let measuredS = windows.last.map(\.endS) ?? 0

        let energy = energyPerInference(windows)
        if energy == nil {
            unavailable["energy_per_inference_j"] = windows.lazy.compactMap { $0.unavailable["power_w"] }.first
                ?? (windows.isEmpty ? "no window finished" : "a window had no power reading")
        }

        unavailable["sustained_p50_ratio_edgeprobe_to_xnnpack"] = EngineRatio.oneEngineReason
        let description = EngineDescription.describe(engine)
        unavailable.merge(description.unavailable()) { first, _ in first }
        return SoakRecord(
            workload: context.workload, engine: description.engine, engineDescription: description, durationS: context.durationS, windowS: context.windowS,
            ratePerS: context.ratePerS, threads: context.threads, cpus: context.cpus, cluster: context.cluster,
            board: context.board, cooldownWaitS: context.cooldownWaitS,
            windows: windows.count, inferences: inferences,
            interrupted: context.signal != nil, signal: context.signal,
            burstP50Us: burst, sustainedP50Us: sustained, sustainedOverBurst: ratio,
            timeToThrottleS: throttledWindow?.startS, throttleCause: throttledWindow?.throttleCause ?? [],
            startTempC: context.startTempC, maxTempC: temperatures.max(), heatingRateCPerMin: heating,
            p90Us: p90,
            mlperfSingleStream: SoakRecord.SingleStreamCheck(
                queriesOk: histogram.count >= mlperfMinimumQueries, durationOk: measuredS >= mlperfMinimumDurationS),
            energyPerInferenceJ: energy, sustainedP50RatioEdgeprobeToXnnpack: nil, unavailable: unavailable)
    }

    /// Median of the window p50s over the last third of the windows (at least one window).
    public static func sustainedP50(_ windows: [WindowRecord]) -> Double? {
        guard !windows.isEmpty else { return nil }
        let count = Swift.max(1, windows.count / 3)
        let values = windows.suffix(count).map(\.latencyUs.p50).sorted()
        let middle = values.count / 2
        return values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
    }

    /// Least-squares slope of hottest temperature against window midpoint, in °C per minute, over
    /// the windows whose middle lies within `heatingFitS` (at least the first two with a temperature).
    public static func heatingRate(_ windows: [WindowRecord]) -> Double? {
        let points = windows.compactMap { window in window.hottestC.map { ((window.startS + window.endS) / 2, $0) } }
        var fitted = points.filter { $0.0 <= heatingFitS }
        if fitted.count < 2 { fitted = Array(points.prefix(2)) }
        guard fitted.count >= 2 else { return nil }
        let count = Double(fitted.count)
        let meanTime = fitted.reduce(0) { $0 + $1.0 } / count
        let meanTemperature = fitted.reduce(0) { $0 + $1.1 } / count
        let covariance = fitted.reduce(0) { $0 + ($1.0 - meanTime) * ($1.1 - meanTemperature) }
        let variance = fitted.reduce(0) { $0 + ($1.0 - meanTime) * ($1.0 - meanTime) }
        guard variance > 0 else { return nil }
        return covariance / variance * 60
    }

    /// Energy of every window over all their inferences; `nil` unless every window has power.
    /// A window's energy is the engine's share of it (`energy_per_inference_j` times its inferences).
    public static func energyPerInference(_ windows: [WindowRecord]) -> Double? {
        guard !windows.isEmpty else { return nil }
        var joules = 0.0, inferences = 0
        for window in windows {
            guard let perInference = window.energyPerInferenceJ else { return nil }
            joules += perInference * Double(window.inferences)
            inferences += window.inferences
        }
        return joules / Double(inferences)
    }
}

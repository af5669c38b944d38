import Engines
import Measurement
import Reports

/// The verdict on a lookup table: per-architecture predictions against measurements, and the
/// share within ±10% (nn-Meter's criterion) and RMSE.
public struct LookupTableCheckRecord: Record {
    public static let recordType = "lut_check"

    /// One sampled architecture.
    public struct Architecture: Codable, Sendable, Equatable {
        /// Its name.
        public let name: String
        /// Input resolution.
        public let resolution: Int
        /// Layers per stage.
        public let depths: [Int]
        /// Multiply-accumulates.
        public let macs: Int
        /// Weights and biases.
        public let params: Int
        /// Sum of the table's block means plus its network overhead, milliseconds.
        public let predictedMs: Double
        /// Measured end-to-end mean, milliseconds.
        public let measuredMs: Double
        /// Sum of the table's block medians plus its network overhead's, times its median scale, milliseconds.
        public let predictedP50Ms: Double
        /// `predicted_p50_ms` times this architecture's `speed_correction` (the same when there is
        /// none), milliseconds: what the verdict compares with the measured median.
        public let correctedP50Ms: Double
        /// How much slower (above 1) or faster the machine ran while this architecture was measured
        /// than when the table was: its measured median over the median of its runs each divided by
        /// the speed factor of the calibration runs around it in time (`SpeedTrace`); 1 without
        /// calibration networks.
        public let speedCorrection: Double
        /// Measured end-to-end median, milliseconds, of each run less the time other processes kept
        /// its threads from a CPU (schedstat run_delay; as measured without schedstat).
        public let measuredP50Ms: Double
        /// Sum of the table's block minimums plus its network overhead's median, milliseconds.
        public let predictedMinMs: Double
        /// Measured end-to-end minimum, milliseconds.
        public let measuredMinMs: Double
        /// (corrected / measured − 1) x 100, on medians: the verdict's error.
        public let errorPct: Double
        /// (predicted / measured − 1) x 100, on medians, without the speed correction.
        public let errorUncorrectedPct: Double
        /// Coefficient of variation of the measurement.
        public let measuredCv: Double
        /// Timed iterations.
        public let n: Int
        /// Of those, the ones whose threads waited for a CPU at most 5% of the run; null where the
        /// kernel reports no schedstat.
        @Nullable public var undisturbedN: Int?

        /// One architecture's predictions and measurements, milliseconds; `speedCorrection` scales
        /// the predicted median (1: none).
        public init(
            name: String, resolution: Int, depths: [Int], macs: Int, params: Int, predictedMs: Double, measuredMs: Double,
            predictedP50Ms: Double, measuredP50Ms: Double, predictedMinMs: Double, measuredMinMs: Double, measuredCv: Double, n: Int,
            undisturbedN: Int? = nil, speedCorrection: Double = 1
        ) {
            self.name = name
            self.resolution = resolution
            self.depths = depths
            self.macs = macs
            self.params = params
            self.predictedMs = predictedMs
            self.measuredMs = measuredMs
            self.predictedP50Ms = predictedP50Ms
            self.measuredP50Ms = measuredP50Ms
            self.predictedMinMs = predictedMinMs
            self.measuredMinMs = measuredMinMs
            self.speedCorrection = speedCorrection
            correctedP50Ms = predictedP50Ms * speedCorrection
            errorPct = (correctedP50Ms / measuredP50Ms - 1) * 100
            errorUncorrectedPct = (predictedP50Ms / measuredP50Ms - 1) * 100
            self.measuredCv = measuredCv
            self.n = n
            self.undisturbedN = undisturbedN
        }
    }

    /// The table file checked.
    public let table: String
    /// The search space sampled.
    public let space: String
    /// The engine that ran the sampled architectures (the table's): `edgeprobe` or `xnnpack`
    /// (`engine_description.engine`).
    public let engine: String
    /// That engine as `run_start` names it: its version (compared with the table's `engine_version`
    /// condition, `warnings` says when they differ), its instruction-set paths and the cap on them.
    public let engineDescription: EngineDescription
    /// Each sampled architecture.
    public let architectures: [Architecture]
    /// Share of architectures whose corrected median (sum of block medians plus the network
    /// overhead's, times the median scale and the architecture's speed correction) is within ±10%
    /// of the measured median: the verdict. Medians, because on a shared machine the preempted
    /// runs that load from other processes adds while the table or the check runs move a mean by
    /// more than the effect being predicted.
    public let within10PctShare: Double
    /// The same share without the speed correction: the table's figures as they are, against a
    /// machine that may be busier or quieter than when they were measured.
    public let within10PctShareUncorrected: Double
    /// The same share with one speed correction for the whole check (`speed_correction`) instead
    /// of each architecture's own: what the verdict was before the correction followed the load
    /// through the check. Null as `speed_correction`.
    @Nullable public var within10PctShareGlobal: Double?
    /// The same share on means (sum of block means against the measured mean). Means add up
    /// exactly (a network's mean is the sum of its blocks' means) but only under the same load.
    public let within10PctShareMean: Double
    /// The same share on minimums (sum of block minimums against the fastest end-to-end run):
    /// the figure least disturbed by other processes on a shared machine.
    public let within10PctShareMin: Double
    /// The table's reference network's median now over its median when the table was measured:
    /// above 1 when the machine runs slower now (load from other processes, a lower clock). One
    /// network's median moves by ±5% on its own on a shared machine, so the correction is taken
    /// over several (`speed_correction`). Null when the table has no reference network.
    @Nullable public var speedDrift: Double?
    /// The median over the calibration networks measured again of their median now over their
    /// median in the table: the machine's speed over the whole check (each architecture's own
    /// correction follows it moment by moment; this factor stands in for moments without a
    /// calibration run, and gives `within_10pct_share_global`). Null when the
    /// table has no calibration networks (measured with --context isolated, by another tool, or
    /// before they existed) or the check was asked for none.
    @Nullable public var speedCorrection: Double?
    /// The smallest of those ratios (with the largest: how evenly the machine's speed changed).
    /// Null as `speed_correction`.
    @Nullable public var speedCorrectionMin: Double?
    /// The largest of those ratios. Null as `speed_correction`.
    @Nullable public var speedCorrectionMax: Double?
    /// Calibration networks measured again.
    public let calibrationNetworks: Int
    /// Half the width of the window of calibration runs that sets each sampled run's speed
    /// factor, milliseconds. Null as `speed_correction`.
    @Nullable public var speedWindowMs: Double?
    /// Root mean square error of the corrected medians, milliseconds.
    public let rmseMs: Double
    /// Root mean square error of the predicted means, milliseconds.
    public let rmseMeanMs: Double
    /// Mean of |error_pct|.
    public let meanAbsErrorPct: Double
    /// The share nn-Meter-style predictors aim for.
    public let targetShare: Double
    /// Whether `within_10pct_share` reaches `target_share`.
    public let meetsTarget: Bool
    /// Warm-up, minimum iterations and time per architecture.
    public let measurement: MeasurementPolicy
    /// Benchmark threads.
    public let threads: Int
    /// Telemetry over the whole check.
    public let telemetry: TelemetrySummary
    /// Whether a signal cut the check short.
    public let interrupted: Bool
    /// Why a null figure is null.
    public let unavailable: [String: String]
    /// Conditions that make the verdict say more about the machine's load than about the table, and
    /// a table measured with another version of the engine (`LookupTableCheck.versionWarning`).
    public let warnings: [String]

    /// Largest over smallest ratio (calibration networks' speeds in the check, or the table's
    /// `median_scale` over its networks) beyond which `warnings` says the verdict is unreliable.
    /// Measured (Docs/nas.md, "Following the load through a check"): replayed checks whose
    /// calibration networks agreed within 1.28x judged 70-100% of architectures within ±10%, their
    /// errors spread by 3-8% (standard deviation); at 1.8x and beyond, 10-35%, spread by 25-39%.
    public static let unsteadySpread = 1.5

    private enum CodingKeys: String, CodingKey {
        case table, space, engine, engineDescription, architectures, rmseMs, rmseMeanMs, meanAbsErrorPct, targetShare, meetsTarget, measurement,
             threads, telemetry, interrupted, speedDrift, speedCorrection, speedCorrectionMin, speedCorrectionMax, calibrationNetworks,
             speedWindowMs, unavailable, warnings
        case within10PctShare = "within_10pct_share"
        case within10PctShareMean = "within_10pct_share_mean"
        case within10PctShareMin = "within_10pct_share_min"
        case within10PctShareUncorrected = "within_10pct_share_uncorrected"
        case within10PctShareGlobal = "within_10pct_share_global"
    }

    /// Summarizes per-architecture results (whose corrected medians carry their own speed
    /// corrections); `speedCorrection` is the check's overall one, `speedWindowMs` the trace's window;
    /// `warnings` come first in the record's.
    init(table: String, space: String, engine: EngineDescription = .describe(.edgeprobe), warnings: [String] = [],
         architectures: [Architecture], speedDrift: Double?,
         speedCorrection: LookupTable.Scale? = nil, speedWindowMs: Double? = nil, tableMedianScale: LookupTable.Scale? = nil, summary: TelemetrySummary, measurement: MeasurementPolicy, threads: Int, interrupted: Bool) {
        func share(_ within: (Architecture) -> Bool) -> Double {
            architectures.isEmpty ? 0 : Double(architectures.filter(within).count) / Double(architectures.count)
        }
        func rmse(_ error: (Architecture) -> Double) -> Double {
            architectures.isEmpty ? 0 : (architectures.reduce(0) { $0 + error($1) * error($1) } / Double(architectures.count)).squareRoot()
        }
        self.table = table
        self.space = space
        self.engine = engine.engine
        engineDescription = engine
        self.architectures = architectures
        within10PctShare = share { abs($0.correctedP50Ms / $0.measuredP50Ms - 1) <= 0.10 }
        within10PctShareUncorrected = share { abs($0.predictedP50Ms / $0.measuredP50Ms - 1) <= 0.10 }
        within10PctShareGlobal = speedCorrection.map { global in share { abs($0.predictedP50Ms * global.value / $0.measuredP50Ms - 1) <= 0.10 } }
        within10PctShareMean = share { abs($0.predictedMs / $0.measuredMs - 1) <= 0.10 }
        within10PctShareMin = share { abs($0.predictedMinMs / $0.measuredMinMs - 1) <= 0.10 }
        self.speedDrift = speedDrift
        self.speedCorrection = speedCorrection?.value
        speedCorrectionMin = speedCorrection?.min
        speedCorrectionMax = speedCorrection?.max
        calibrationNetworks = speedCorrection?.n ?? 0
        self.speedWindowMs = speedCorrection == nil ? nil : speedWindowMs
        var unavailable: [String: String] = [:]
        if speedDrift == nil {
            unavailable["speed_drift"] = "the table has no reference_network (measured with --context isolated or by another tool)"
        }
        if speedCorrection == nil {
            let reason = "no calibration network measured (the table has no calibration_networks, or --calibration 0): predictions uncorrected"
            for key in ["speed_correction", "speed_correction_min", "speed_correction_max", "speed_window_ms", "within_10pct_share_global"] { unavailable[key] = reason }
        }
        unavailable.merge(engine.unavailable()) { first, _ in first }
        self.unavailable = unavailable
        var warnings = warnings
        func spread(_ scale: LookupTable.Scale) -> String { String((scale.max / scale.min * 100).rounded() / 100) }
        if let speedCorrection, speedCorrection.max > Self.unsteadySpread * speedCorrection.min {
            warnings.append("the calibration networks ran \(spread(speedCorrection))x apart in speed (now over then, \(speedCorrection.min)-\(speedCorrection.max)): "
                            + "the load changed unevenly during the check; the verdict says more about the load than the table")
        }
        if let tableMedianScale, tableMedianScale.max > Self.unsteadySpread * tableMedianScale.min {
            warnings.append("the table's networks are \(spread(tableMedianScale))x apart in how their medians relate to their block sums (median_scale "
                            + "\(tableMedianScale.min)-\(tableMedianScale.max)): it was measured under uneven load; measure it again")
        }
        self.warnings = warnings
        rmseMs = rmse { $0.correctedP50Ms - $0.measuredP50Ms }
        rmseMeanMs = rmse { $0.predictedMs - $0.measuredMs }
        meanAbsErrorPct = architectures.isEmpty ? 0 : architectures.reduce(0) { $0 + abs($1.errorPct) } / Double(architectures.count)
        targetShare = 0.95
        meetsTarget = within10PctShare >= 0.95
        self.measurement = measurement
        self.threads = threads
        telemetry = summary
        self.interrupted = interrupted
    }
}

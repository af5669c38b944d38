import Models
import Reports
import Tensors

/// Judges a lookup table the way nn-Meter judges latency predictors: sample random architectures
/// of the space, predict each by summing its blocks' table entries, measure it end to end, and
/// report the share predicted within ±10% of the measurement and the RMSE.
public struct LookupTableCheck: Sendable {
    /// How each sampled architecture is measured.
    public var measurement: LatencyMeasurement
    /// How many architectures to sample.
    public var architectures: Int
    /// Seed of the sampling.
    public var samplingSeed: UInt64

    /// A check of `architectures` samples.
    public init(measurement: LatencyMeasurement, architectures: Int, samplingSeed: UInt64) {
        self.measurement = measurement
        self.architectures = architectures
        self.samplingSeed = samplingSeed
    }

    /// Samples, predicts and measures.
    /// - Parameter progress: called after each architecture with its index and result.
    public func run(
        table: LookupTable, tablePath: String, space: ArchitectureSearchSpace, telemetry: (any TelemetryProbe)?,
        stopFlag: StopFlag, progress: ((Int, LookupTableCheckRecord.Architecture) -> Void)? = nil
    ) throws -> LookupTableCheckRecord {
        var generator = SplitMix64(seed: samplingSeed)
        var results: [LookupTableCheckRecord.Architecture] = []
        telemetry?.begin()
        for index in 0..<architectures where !stopFlag.isRaised {
            let (plan, depths) = try space.sample(using: &generator, name: "\(space.name)-sample\(index)")
            let predictedMean = try table.predictMs(plan)
            let predictedP50 = try table.predictMs(plan, statistic: \.p50)
            let predictedMin = try table.predictMs(plan, statistic: \.min)
            let record = try measurement.run(plan: plan, source: space.path, telemetry: nil, stopFlag: stopFlag)
            let result = LookupTableCheckRecord.Architecture(
                name: plan.spec.name, resolution: plan.spec.input.height,
                depths: depths,
                macs: plan.macs, params: plan.parameterCount,
                predictedMs: predictedMean, measuredMs: record.latencyUs.mean / 1e3,
                predictedP50Ms: predictedP50, measuredP50Ms: record.latencyUs.p50 / 1e3,
                predictedMinMs: predictedMin, measuredMinMs: record.latencyUs.min / 1e3,
                errorPct: (predictedP50 / (record.latencyUs.p50 / 1e3) - 1) * 100,
                measuredCv: record.latencyUs.cv, n: record.latencyUs.n)
            results.append(result)
            progress?(index, result)
        }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        return LookupTableCheckRecord(table: tablePath, space: space.name, architectures: results, summary: summary,
                                      measurement: measurement.policy, threads: measurement.threads, interrupted: stopFlag.isRaised)
    }
}

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
        /// Sum of the table's block means, milliseconds.
        public let predictedMs: Double
        /// Measured end-to-end mean, milliseconds.
        public let measuredMs: Double
        /// Sum of the table's block medians, milliseconds.
        public let predictedP50Ms: Double
        /// Measured end-to-end median, milliseconds.
        public let measuredP50Ms: Double
        /// Sum of the table's block minimums, milliseconds.
        public let predictedMinMs: Double
        /// Measured end-to-end minimum, milliseconds.
        public let measuredMinMs: Double
        /// (predicted / measured − 1) x 100, on medians.
        public let errorPct: Double
        /// Coefficient of variation of the measurement.
        public let measuredCv: Double
        /// Timed iterations.
        public let n: Int
    }

    /// The table file checked.
    public let table: String
    /// The search space sampled.
    public let space: String
    /// Each sampled architecture.
    public let architectures: [Architecture]
    /// Share of architectures whose predicted median (sum of block medians) is within ±10% of
    /// the measured median: the verdict. Medians, because on a shared machine a few preempted
    /// iterations move a mean by more than the effect being predicted.
    public let within10PctShare: Double
    /// The same share on means (sum of block means against the measured mean).
    public let within10PctShareMean: Double
    /// The same share on minimums (sum of block minimums against the fastest end-to-end run):
    /// the figure least disturbed by other processes on a shared machine.
    public let within10PctShareMin: Double
    /// Root mean square error of the predicted medians, milliseconds.
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

    private enum CodingKeys: String, CodingKey {
        case table, space, architectures, rmseMs, rmseMeanMs, meanAbsErrorPct, targetShare, meetsTarget, measurement,
             threads, telemetry, interrupted
        case within10PctShare = "within_10pct_share"
        case within10PctShareMean = "within_10pct_share_mean"
        case within10PctShareMin = "within_10pct_share_min"
    }

    /// Summarizes per-architecture results.
    init(table: String, space: String, architectures: [Architecture], summary: TelemetrySummary,
         measurement: MeasurementPolicy, threads: Int, interrupted: Bool) {
        func share(_ within: (Architecture) -> Bool) -> Double {
            architectures.isEmpty ? 0 : Double(architectures.filter(within).count) / Double(architectures.count)
        }
        func rmse(_ error: (Architecture) -> Double) -> Double {
            architectures.isEmpty ? 0 : (architectures.reduce(0) { $0 + error($1) * error($1) } / Double(architectures.count)).squareRoot()
        }
        self.table = table
        self.space = space
        self.architectures = architectures
        within10PctShare = share { abs($0.predictedP50Ms / $0.measuredP50Ms - 1) <= 0.10 }
        within10PctShareMean = share { abs($0.predictedMs / $0.measuredMs - 1) <= 0.10 }
        within10PctShareMin = share { abs($0.predictedMinMs / $0.measuredMinMs - 1) <= 0.10 }
        rmseMs = rmse { $0.predictedP50Ms - $0.measuredP50Ms }
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

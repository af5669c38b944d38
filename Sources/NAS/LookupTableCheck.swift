import Engines
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Telemetry
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

    /// Samples, predicts and measures. The sampled networks are measured in turns
    /// (`InterleavedRuns`), so that load from other processes spreads over all of them, and
    /// without per-block clocks: the end-to-end latency a caller of the network sees.
    /// - Parameter progress: called with a line of progress when networks finish, and every 5 s.
    public func run(
        table: LookupTable, tablePath: String, space: ArchitectureSearchSpace, telemetry: (any TelemetryProbe)?,
        stopFlag: StopFlag, progress: ((String) -> Void)? = nil
    ) throws -> LookupTableCheckRecord {
        let samples = try space.samples(count: architectures, seed: samplingSeed)
        var plans = samples.map(\.plan)
        for plan in plans { _ = try table.predictMs(plan) }
        // The table's reference network, measured again in the same turns: how much faster or
        // slower the machine runs now than when the table was measured.
        let reference = table.referenceNetwork == nil ? nil : try LookupTableBuilder.referencePlan(table: table, space: space)
        if let reference { plans.append(reference) }
        // On the engine the table was measured on (the first of `measurement.engine`), built as the
        // table's context networks are: weights from the measurement seed, inputs in turn.
        let engine = measurement.engine.engines[0]
        let threads = try EngineThreads(engines: [engine], threadCount: measurement.threads, cpus: measurement.cpus)
        var initializer = WeightInitializer(seed: measurement.seed ^ 0x9E37_79B9_7F4A_7C15)
        var networks: [EngineNetwork] = []
        for plan in plans {
            networks.append(try EngineNetwork(plan.definition(seed: measurement.seed), engine: engine, threads: threads,
                                              input: initializer.input(plan.spec.input)))
        }
        let started = MonotonicClock.now()
        var (lastFinished, lastReport) = (0, started)
        telemetry?.begin()
        let latencies = InterleavedRuns(policy: measurement.policy, stopFlag: stopFlag).run(count: networks.count, iterate: { index, _ in
            let start = MonotonicClock.now()
            networks[index].run()
            return Double(MonotonicClock.now() - start) / 1e3
        }, progress: { finished in
            let now = MonotonicClock.now()
            guard finished != lastFinished || now - lastReport >= 5_000_000_000 else { return }
            (lastFinished, lastReport) = (finished, now)
            progress?("\(finished)/\(networks.count) networks measured (\(Int(Double(MonotonicClock.now() - started) / 1e9)) s)")
        })
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        var results: [LookupTableCheckRecord.Architecture] = []
        for ((plan, depths), times) in zip(samples, latencies) where times.count >= measurement.policy.minIterations {
            let measured = LatencyStatistics(times)!
            results.append(LookupTableCheckRecord.Architecture(
                name: plan.spec.name, resolution: plan.spec.input.height, depths: depths,
                macs: plan.macs, params: plan.parameterCount,
                predictedMs: try table.predictMs(plan), measuredMs: measured.mean / 1e3,
                predictedP50Ms: try table.predictMs(plan, statistic: \.p50), measuredP50Ms: measured.p50 / 1e3,
                predictedMinMs: try table.predictMs(plan, statistic: \.min), measuredMinMs: measured.min / 1e3,
                measuredCv: measured.cv, n: measured.n))
        }
        var speedDrift: Double?
        if reference != nil, let then = table.referenceNetwork, let times = latencies.last, times.count >= measurement.policy.minIterations {
            speedDrift = LatencyStatistics(times)!.p50 / 1e3 / then.p50
        }
        return LookupTableCheckRecord(table: tablePath, space: space.name, engine: engine, architectures: results, speedDrift: speedDrift,
                                      summary: summary, measurement: measurement.policy, threads: measurement.threads,
                                      interrupted: stopFlag.isRaised)
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
        /// Sum of the table's block means plus its network overhead, milliseconds.
        public let predictedMs: Double
        /// Measured end-to-end mean, milliseconds.
        public let measuredMs: Double
        /// Sum of the table's block medians plus its network overhead's, times its median scale, milliseconds.
        public let predictedP50Ms: Double
        /// Measured end-to-end median, milliseconds.
        public let measuredP50Ms: Double
        /// Sum of the table's block minimums plus its network overhead's median, milliseconds.
        public let predictedMinMs: Double
        /// Measured end-to-end minimum, milliseconds.
        public let measuredMinMs: Double
        /// (predicted / measured − 1) x 100, on medians.
        public let errorPct: Double
        /// Coefficient of variation of the measurement.
        public let measuredCv: Double
        /// Timed iterations.
        public let n: Int

        /// One architecture's predictions and measurements, milliseconds.
        public init(
            name: String, resolution: Int, depths: [Int], macs: Int, params: Int, predictedMs: Double, measuredMs: Double,
            predictedP50Ms: Double, measuredP50Ms: Double, predictedMinMs: Double, measuredMinMs: Double, measuredCv: Double, n: Int
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
            errorPct = (predictedP50Ms / measuredP50Ms - 1) * 100
            self.measuredCv = measuredCv
            self.n = n
        }
    }

    /// The table file checked.
    public let table: String
    /// The search space sampled.
    public let space: String
    /// The engine that ran the sampled architectures (the table's): `edgeprobe` or `xnnpack`.
    public let engine: String
    /// Each sampled architecture.
    public let architectures: [Architecture]
    /// Share of architectures whose predicted median (sum of block medians plus the network
    /// overhead's) is within ±10% of the measured median: the verdict. Medians, because on a
    /// shared machine the preempted runs that load from other processes adds while the table or
    /// the check runs move a mean by more than the effect being predicted.
    public let within10PctShare: Double
    /// The same share on means (sum of block means against the measured mean). Means add up
    /// exactly (a network's mean is the sum of its blocks' means) but only under the same load.
    public let within10PctShareMean: Double
    /// The same share on minimums (sum of block minimums against the fastest end-to-end run):
    /// the figure least disturbed by other processes on a shared machine.
    public let within10PctShareMin: Double
    /// The table's reference network's median now over its median when the table was measured:
    /// above 1 when the machine runs slower now (load from other processes, a lower clock). A
    /// hint at changed conditions, not a correction: one network's median moves by ±5% on its own
    /// on a shared machine. Null when the table has no reference network.
    @Nullable public var speedDrift: Double?
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
    /// Why a null figure is null.
    public let unavailable: [String: String]

    private enum CodingKeys: String, CodingKey {
        case table, space, engine, architectures, rmseMs, rmseMeanMs, meanAbsErrorPct, targetShare, meetsTarget, measurement,
             threads, telemetry, interrupted, speedDrift, unavailable
        case within10PctShare = "within_10pct_share"
        case within10PctShareMean = "within_10pct_share_mean"
        case within10PctShareMin = "within_10pct_share_min"
    }

    /// Summarizes per-architecture results.
    init(table: String, space: String, engine: Engine = .edgeprobe, architectures: [Architecture], speedDrift: Double?, summary: TelemetrySummary,
         measurement: MeasurementPolicy, threads: Int, interrupted: Bool) {
        func share(_ within: (Architecture) -> Bool) -> Double {
            architectures.isEmpty ? 0 : Double(architectures.filter(within).count) / Double(architectures.count)
        }
        func rmse(_ error: (Architecture) -> Double) -> Double {
            architectures.isEmpty ? 0 : (architectures.reduce(0) { $0 + error($1) * error($1) } / Double(architectures.count)).squareRoot()
        }
        self.table = table
        self.space = space
        self.engine = engine.rawValue
        self.architectures = architectures
        within10PctShare = share { abs($0.predictedP50Ms / $0.measuredP50Ms - 1) <= 0.10 }
        within10PctShareMean = share { abs($0.predictedMs / $0.measuredMs - 1) <= 0.10 }
        within10PctShareMin = share { abs($0.predictedMinMs / $0.measuredMinMs - 1) <= 0.10 }
        self.speedDrift = speedDrift
        unavailable = speedDrift == nil
            ? ["speed_drift": "the table has no reference_network (measured with --context isolated or by another tool)"]
            : [:]
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

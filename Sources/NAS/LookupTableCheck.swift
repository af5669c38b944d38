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
///
/// On a machine shared with other processes, the table and its check run under different load,
/// which moves every network's latency by more than the ±10% being judged. So the check also
/// measures a few of the networks the table was measured in (its `calibration_networks`), their
/// turns spread among the samples' for as long as any sample runs, and scales each sample's
/// predicted median by how much slower or faster those ran than then around that sample's own
/// runs (`SpeedTrace`): the verdict is whether the table's blocks add up to its networks, not
/// whether the machine is as busy as it was, even when the load changes during the check. The
/// correction uses the calibration networks' own end-to-end runs and medians, never the table's
/// block entries, so a table whose entries are wrong stays wrong after it.
public struct LookupTableCheck: Sendable {
    /// How each sampled architecture is measured.
    public var measurement: LatencyMeasurement
    /// How many architectures to sample.
    public var architectures: Int
    /// Seed of the sampling.
    public var samplingSeed: UInt64
    /// How many of the table's calibration networks to measure again (0: no speed correction).
    public var calibration: Int

    /// A check of `architectures` samples, corrected by `calibration` of the table's networks.
    public init(measurement: LatencyMeasurement, architectures: Int, samplingSeed: UInt64, calibration: Int = 6) {
        self.measurement = measurement
        self.architectures = architectures
        self.samplingSeed = samplingSeed
        self.calibration = calibration
    }

    /// Why `table` cannot be checked on `engine` at `threads` threads with the engine's float32
    /// kernels on `float32Isa` (`EngineDescription.float32Isa`), if it cannot: it holds another
    /// engine's latencies (tables from before engines: edgeprobe's), another thread count's (a table
    /// predicts the thread count it was measured at), or another kernel path's (`avx512f` tables do
    /// not predict `avx2+fma` runs, e.g. under `EDGEPROBE_MAX_ISA`). Tables without a `threads` or
    /// `float32_isa` condition (other tools', older ones) are not judged on it.
    public static func mismatch(table: LookupTable, engine: Engine, threads: Int, float32Isa: String) -> String? {
        let tableEngine = table.conditions["engine"] ?? Engine.edgeprobe.rawValue
        if tableEngine != engine.rawValue {
            return "the table holds \(tableEngine) latencies; check it with --engine \(tableEngine)"
        }
        if let tableThreads = table.conditions["threads"], tableThreads != String(threads) {
            return "the table was measured at \(tableThreads) thread(s), not \(threads); check it with --threads \(tableThreads)"
        }
        if let tableIsa = table.conditions["float32_isa"], tableIsa != float32Isa {
            return "the table was measured on \(tableEngine)'s \(tableIsa) kernels, and this run takes \(float32Isa); "
                + "check it where \(tableIsa) runs (\(InstructionSetCap.environmentVariable) caps edgeprobe's kernels)"
        }
        return nil
    }

    /// The warning a check of `table` gives when it was measured with another version of `engine`
    /// (another edgeprobe build, or another Debian package of XNNPACK), if it was: not a refusal,
    /// since upgrades change versions, but its latencies may not hold for this one. The table's
    /// version is its `engine_version` condition (tables from before it: `edgeprobe_version` for
    /// edgeprobe's kernels); tables naming neither (other tools') get none.
    public static func versionWarning(table: LookupTable, engine: EngineDescription) -> String? {
        let unknown = LookupTable.unavailableCondition
        let then = table.conditions["engine_version"]
            ?? (engine.engine == Engine.edgeprobe.rawValue ? table.conditions["edgeprobe_version"] : nil)
        let now = engine.version ?? unknown
        guard let then, then != now else { return nil }
        func named(_ version: String) -> String { version == unknown ? "a version that cannot be told" : version }
        return "the table was measured with \(engine.engine) \(named(then)), and this check runs \(named(now)): "
            + "its latencies may not hold for this version; measure the table again to be sure"
    }

    /// Samples, predicts and measures. The sampled networks are measured in turns
    /// (`InterleavedRuns`), so that load from other processes spreads over all of them, and
    /// without per-block clocks: the end-to-end latency a caller of the network sees. The
    /// table's reference network and `calibration` of its calibration networks (`calibrationOrder`) take
    /// turns among them (`turnOrder`); the calibration networks, which the speed trace follows,
    /// keep taking them while any sample runs (the reference needs only its median). Medians are of
    /// each run less the time other processes kept its threads from a CPU (`DelayAdjustedRuns`),
    /// as the table's network figures are.
    /// - Parameter progress: called with a line of progress when networks finish, and every 5 s.
    public func run(
        table: LookupTable, tablePath: String, space: ArchitectureSearchSpace, telemetry: (any TelemetryProbe)?,
        stopFlag: StopFlag, progress: ((String) -> Void)? = nil
    ) throws -> LookupTableCheckRecord {
        let samples = try space.samples(count: architectures, seed: samplingSeed)
        for sample in samples { _ = try table.predictMs(sample.plan) }
        // The table's own networks, measured again in the same rounds: how much faster or slower
        // the machine runs now than when the table was measured.
        let again = try Self.networksMeasuredAgain(table: table, space: space, calibration: calibration)
        let order = Self.turnOrder(samples: samples.count, again: again.count)
        let plans = samples.map(\.plan) + again.map(\.plan)
        // On the engine the table was measured on (the first of `measurement.engine`), built as the
        // table's context networks are: weights from the measurement seed, inputs in turn.
        let engine = measurement.engine.engines[0]
        let description = EngineDescription.describe(engine)
        let threads = try EngineThreads(engines: [engine], threadCount: measurement.threads, cpus: measurement.cpus)
        var initializer = WeightInitializer(seed: measurement.seed ^ 0x9E37_79B9_7F4A_7C15)
        var networks: [EngineNetwork] = []
        for plan in plans {
            networks.append(try EngineNetwork(plan.definition(seed: measurement.seed), engine: engine, threads: threads,
                                              input: initializer.input(plan.spec.input)))
        }
        var roundsProgress = NetworkRoundsProgress(networks: networks.count, finishedWord: "measured", report: progress)
        // Runs' start times count from here: the speed trace sets each run's factor by them.
        let started = MonotonicClock.now()
        let delay = SchedulingDelay()
        var runs = [DelayAdjustedRuns](repeating: DelayAdjustedRuns(), count: networks.count)
        telemetry?.begin()
        let turns = InterleavedRuns(policy: measurement.policy, stopFlag: stopFlag)
        let ordered = turns.run(count: networks.count, companions: Set(order.indices.filter { order[$0] >= samples.count && again[order[$0] - samples.count].isCalibration }), iterate: { slot, timed in
            let index = order[slot]
            let waited = timed ? delay?.reading() : nil
            let start = MonotonicClock.now()
            networks[index].run()
            let latency = Double(MonotonicClock.now() - start) / 1e3
            if timed {
                runs[index].append(latency: latency, delay: delay?.microseconds(since: waited) ?? 0, startUs: Double(start - started) / 1e3)
            }
            return latency
        }, progress: { roundsProgress.roundEnded(finished: $0) })
        var latencies = [[Double]](repeating: [], count: networks.count)
        for (slot, index) in order.enumerated() { latencies[index] = ordered[slot] }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        let enough = latencies.map { $0.count >= measurement.policy.minIterations }
        // Each network measured again: its median now over its median in the table; and each of
        // its runs over that median, by when it ran, for the speed trace.
        var ratios: (reference: Double?, calibration: [Double]) = (nil, [])
        var points: [SpeedTrace.Point] = []
        for (offset, network) in again.enumerated() where enough[samples.count + offset] {
            let adjusted = runs[samples.count + offset].adjustedRuns
            let ratio = LatencyStatistics(adjusted.map(\.latencyUs))!.p50 / 1e3 / network.thenP50Ms
            if network.isReference { ratios.reference = ratio }
            guard network.isCalibration else { continue }
            ratios.calibration.append(ratio)
            points += adjusted.map { SpeedTrace.Point(timeUs: $0.startUs, network: offset, ratio: $0.latencyUs / 1e3 / network.thenP50Ms) }
        }
        let correction = LookupTable.Scale(ratios: ratios.calibration)
        let trace = SpeedTrace(points: points, windowUs: Self.speedWindowMs * 1e3)
        var results: [LookupTableCheckRecord.Architecture] = []
        for (index, (plan, depths)) in samples.enumerated() where enough[index] {
            // The median of the runs less the time other processes kept them from a CPU, as the
            // table's networks are; the mean and minimum as measured.
            let measured = LatencyStatistics(latencies[index])!
            let adjusted = runs[index].adjustedRuns
            let median = LatencyStatistics(adjusted.map(\.latencyUs))!.p50
            results.append(LookupTableCheckRecord.Architecture(
                name: plan.spec.name, resolution: plan.spec.input.height, depths: depths,
                macs: plan.macs, params: plan.parameterCount,
                predictedMs: try table.predictMs(plan), measuredMs: measured.mean / 1e3,
                predictedP50Ms: try table.predictMs(plan, statistic: \.p50), measuredP50Ms: median / 1e3,
                predictedMinMs: try table.predictMs(plan, statistic: \.min), measuredMinMs: measured.min / 1e3,
                measuredCv: measured.cv, n: measured.n, undisturbedN: delay == nil ? nil : runs[index].undisturbedCount,
                speedCorrection: trace.correction(for: adjusted, fallback: correction?.value ?? 1)))
        }
        return LookupTableCheckRecord(table: tablePath, space: space.name, engine: description,
                                      warnings: [Self.versionWarning(table: table, engine: description)].compactMap { $0 },
                                      architectures: results,
                                      speedDrift: ratios.reference, speedCorrection: correction,
                                      speedWindowMs: Self.speedWindowMs, tableMedianScale: table.medianScale,
                                      summary: summary, measurement: measurement.policy, threads: measurement.threads,
                                      interrupted: stopFlag.isRaised)
    }

    /// Half the width of the window of calibration runs that sets the speed factor of a sampled
    /// run, milliseconds. Chosen on measurements (Docs/nas.md, "Following the load through a
    /// check"): 50 ms windows hold too few calibration runs, windows of seconds miss load that
    /// changes within them.
    public static let speedWindowMs = 300.0

    /// The order networks take turns in: samples `0..<samples` and the networks measured again
    /// (`samples..<samples + again`) spread evenly among them, so that every sample runs close in
    /// time to one of them.
    static func turnOrder(samples: Int, again: Int) -> [Int] {
        guard again > 0 else { return Array(0..<samples) }
        var order: [Int] = []
        var placed = 0
        for sample in 0..<samples {
            while placed < again, placed * samples <= sample * again {
                order.append(samples + placed)
                placed += 1
            }
            order.append(sample)
        }
        order += (samples + placed)..<(samples + again)
        return order
    }

    /// A network of the table measured again by the check, with its end-to-end median then.
    struct NetworkMeasuredAgain {
        var plan: ArchitecturePlan
        var thenP50Ms: Double
        /// The table's `reference_network`: its ratio is the record's `speed_drift`.
        var isReference: Bool
        /// One of the calibration networks: its ratio counts toward the speed correction.
        var isCalibration: Bool
    }

    /// The table's reference network (the first context network) and `calibration` of its context
    /// networks: the ones whose medians in the table lie in the middle of the table's own ratios of
    /// a network's median to its prediction (`calibrationOrder`).
    static func networksMeasuredAgain(
        table: LookupTable, space: ArchitectureSearchSpace, calibration: Int
    ) throws(ArchitectureError) -> [NetworkMeasuredAgain] {
        guard table.referenceNetwork != nil || !table.calibrationNetworks.isEmpty,
              let contexts = try LookupTableBuilder.contextPlans(table: table, space: space) else { return [] }
        let referenceName = table.referenceNetwork == nil ? nil : table.conditions["reference_network"]
        let calibrating = Set(calibrationOrder(table: table, contexts: contexts).prefix(calibration))
        var networks: [NetworkMeasuredAgain] = []
        for plan in contexts {
            let name = plan.spec.name
            let isCalibration = calibrating.contains(name)
            let isReference = name == referenceName
            guard isCalibration || isReference,
                  let then = table.calibrationNetworks[name] ?? (isReference ? table.referenceNetwork?.p50 : nil) else { continue }
            networks.append(NetworkMeasuredAgain(plan: plan, thenP50Ms: then, isReference: isReference, isCalibration: isCalibration))
        }
        return networks
    }

    /// The context networks the table holds medians for, ordered from the middle outwards by their
    /// median in the table over the table's predicted median for them (the ratio `median_scale` is
    /// the median of): the first `n` are the middle `n` by rank, alternately just below and just
    /// above it. The speed correction divides by these medians, so a network whose median in the
    /// table came out high or low against its blocks (at 2 threads: its runs met more or less load
    /// than the blocks' did) would carry that into every prediction; taking the first six networks
    /// instead left one table's predictions up to 9 % low, as far as the first six's ratios lay from
    /// `median_scale` (Docs/nas.md, "Which networks calibrate"). Networks the table cannot predict
    /// (a block missing) are left out.
    static func calibrationOrder(table: LookupTable, contexts: [ArchitecturePlan]) -> [String] {
        let ranked = contexts.compactMap { plan -> (name: String, ratio: Double)? in
            guard let then = table.calibrationNetworks[plan.spec.name],
                  let predicted = try? table.predictMs(plan, statistic: \.p50), predicted > 0 else { return nil }
            return (plan.spec.name, then / predicted)
        }.sorted { $0.ratio < $1.ratio }.map(\.name)
        // From the middle: below, above, below, ... so that any prefix straddles the median.
        var order: [String] = []
        var (low, high) = ((ranked.count - 1) / 2, (ranked.count - 1) / 2 + 1)
        while low >= 0 || high < ranked.count {
            if low >= 0 { order.append(ranked[low]); low -= 1 }
            if high < ranked.count { order.append(ranked[high]); high += 1 }
        }
        return order
    }
}

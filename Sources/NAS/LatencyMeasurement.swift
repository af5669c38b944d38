import Engines
import Kernels
import Measurement
import Models
import Telemetry
import Tensors
import XNNPACKEngine

/// Measures an architecture end to end on this board: builds it with seeded weights, warms up,
/// iterates per the measurement policy while timing every layer, and summarizes the result as a
/// `LatencyRecord`.
public struct LatencyMeasurement: Sendable {
    /// An accuracy and a target, for the MnasNet reward.
    public struct RewardRequest: Sendable, Equatable {
        /// Accuracy in [0, 1].
        public var accuracy: Double
        /// Target latency T, milliseconds.
        public var targetMs: Double
        /// Soft or hard constraint.
        public var constraint: MnasNetReward.Constraint

        /// A reward request.
        public init(accuracy: Double, targetMs: Double, constraint: MnasNetReward.Constraint) {
            self.accuracy = accuracy
            self.targetMs = targetMs
            self.constraint = constraint
        }
    }

    /// Benchmark threads.
    public var threads: Int
    /// CPUs to pin them to; `nil` for no pinning.
    public var cpus: [Int]?
    /// Warm-up, minimum iterations and time.
    public var policy: MeasurementPolicy
    /// Seed of the weights and input.
    public var seed: UInt64
    /// The upper percentile reported as the conservative latency (and used by the reward).
    public var percentile: Int
    /// Compute the MnasNet reward with these, or not at all.
    public var reward: RewardRequest?
    /// The engines that run the network (`--engine`); with both, they take turns (`InterleavedRuns`).
    public var engine: EngineSelection

    /// A measurement configuration.
    public init(
        threads: Int, cpus: [Int]?, policy: MeasurementPolicy, seed: UInt64, percentile: Int = 90,
        reward: RewardRequest? = nil, engine: EngineSelection = .edgeprobe
    ) {
        self.threads = threads
        self.cpus = cpus
        self.policy = policy
        self.seed = seed
        self.percentile = percentile
        self.reward = reward
        self.engine = engine
    }

    /// Why a measurement produced no record.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        /// A stop was asked for before the minimum iterations were reached.
        case interrupted(completed: Int)
        /// The network could not be built.
        case build(String)

        public var description: String {
            switch self {
            case .interrupted(let completed): "interrupted after \(completed) timed iterations"
            case .build(let message): "cannot build the network: \(message)"
            }
        }
    }

    /// Builds and measures `plan` on the first engine of `engine` (edgeprobe unless asked otherwise).
    /// - Parameters:
    ///   - source: where the spec came from, for the record.
    ///   - telemetry: sampled around the timed runs; `nil` leaves the telemetry figures null.
    public func run(
        plan: ArchitecturePlan, source: String, telemetry: (any TelemetryProbe)?, stopFlag: StopFlag = StopFlag()
    ) throws(Failure) -> LatencyRecord {
        try runEngines(plan: plan, source: source, telemetry: telemetry, stopFlag: stopFlag)[0]
    }

    /// Builds `plan` on every engine of `engine` from the same weights and input and measures it:
    /// one record per engine, edgeprobe first. With two engines the networks take turns, and each
    /// record gives the ratio of edgeprobe's median to XNNPACK's.
    public func runEngines(
        plan: ArchitecturePlan, source: String, telemetry: (any TelemetryProbe)?, stopFlag: StopFlag = StopFlag()
    ) throws(Failure) -> [LatencyRecord] {
        let engines = engine.engines
        let definition = plan.definition(seed: seed)
        var initializer = WeightInitializer(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        let input = initializer.input(definition.inputShape)
        let threads: EngineThreads
        var networks: [EngineNetwork] = []
        do {
            threads = try EngineThreads(engines: engines, threadCount: self.threads, cpus: cpus)
            for engine in engines {
                networks.append(try EngineNetwork(definition, engine: engine, threads: threads, input: input))
            }
        } catch {
            throw .build("\(error)")
        }
        let stepCount = definition.steps.count
        var layerTimes = [[[Double]]](repeating: [[Double]](repeating: [], count: stepCount), count: engines.count)
        let reserved = BenchmarkRunner.reservedIterations(policy.warmupIterations + policy.minIterations)
        for engine in layerTimes.indices {
            for step in layerTimes[engine].indices { layerTimes[engine][step].reserveCapacity(reserved) }
        }
        /// One inference of network `index`, its steps timed into `layerTimes` when `keep`.
        func iterate(_ index: Int, keep: Bool) {
            networks[index].run { step, body in
                let start = MonotonicClock.now()
                body()
                if keep { layerTimes[index][step].append(Double(MonotonicClock.now() - start) / 1e3) }
            }
        }
        telemetry?.begin()
        let latencies: [[Double]]
        if engines.count == 1 {
            // Warm-up calls are timed per layer too; `record` keeps the last `n`, the timed iterations.
            latencies = [BenchmarkRunner(policy: policy, stopFlag: stopFlag).measure { iterate(0, keep: true) }]
        } else {
            latencies = InterleavedRuns(policy: policy, stopFlag: stopFlag).run(count: engines.count) { index, timed in
                let start = MonotonicClock.now()
                iterate(index, keep: timed)
                return Double(MonotonicClock.now() - start) / 1e3
            }
        }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        var statistics: [LatencyStatistics] = []
        for series in latencies {
            guard series.count >= policy.minIterations, let figures = LatencyStatistics(series) else {
                throw .interrupted(completed: series.count)
            }
            statistics.append(figures)
        }
        let ratio = EngineRatio.edgeprobeToXNNPACK(zip(engines, statistics).map { ($0, $1.p50) })
        return engines.indices.map { index in
            record(plan: plan, source: source, engine: engines[index], statistics: statistics[index],
                   latencies: latencies[index], layerTimes: layerTimes[index], affinity: threads.effectiveAffinity,
                   telemetry: summary, ratio: ratio)
        }
    }

    // MARK: - Summarizing

    private func record(
        plan: ArchitecturePlan, source: String, engine: Engine, statistics: LatencyStatistics, latencies: [Double],
        layerTimes: [[Double]], affinity: [[Int]], telemetry: TelemetrySummary, ratio: Double?
    ) -> LatencyRecord {
        // Warm-up calls were timed per layer too: keep only the last `n`, the timed iterations.
        let blocks = zip(plan.layers, layerTimes).map { layer, times in
            BlockLatency(
                name: layer.name, kind: layer.kind.rawValue, key: layer.lookupKey, macs: layer.macs,
                params: layer.parameterCount, latencyUs: LatencyStatistics(Array(times.suffix(latencies.count)))!)
        }
        let conservativeUs = LatencyStatistics.percentile(latencies.sorted(), Double(percentile) / 100)
        let conservative = ConservativeLatency(
            percentile: percentile, valueUs: conservativeUs, valueMs: conservativeUs / 1e3, n: latencies.count)
        let reward = self.reward.map {
            MnasNetReward(accuracy: $0.accuracy, latencyMs: conservative.valueMs, latencyBasis: "p\(percentile)",
                          targetMs: $0.targetMs, constraint: $0.constraint)
        }
        var warnings: [String] = []
        if statistics.cv > 0.10 {
            warnings.append("noisy: coefficient of variation \((statistics.cv * 1000).rounded() / 10)%")
        }
        if telemetry.throttled == true { warnings.append("the CPU was throttled while the network ran") }
        if latencies.count < 20 {
            warnings.append("only \(latencies.count) runs: the p\(percentile) rests on few samples")
        }
        let measuredS = latencies.reduce(0, +) / 1e6
        if latencies.count >= policy.maxIterations, measuredS < policy.minTimeS {
            warnings.append("stopped at the \(policy.maxIterations)-iteration cap after \((measuredS * 100).rounded() / 100) s, "
                            + "short of the \(policy.minTimeS) s minimum time")
        }
        let macs = plan.macs
        var unavailable = reward == nil ? ["reward": "no --accuracy and --target-ms given"] : [:]
        if ratio == nil { unavailable["p50_ratio_edgeprobe_to_xnnpack"] = EngineRatio.oneEngineReason }
        let description = EngineDescription.describe(engine)
        unavailable.merge(description.unavailable()) { first, _ in first }
        return LatencyRecord(
            name: plan.spec.name, source: source, engine: description.engine, float32Isa: description.float32Isa,
            engineDescription: description,
            input: [plan.spec.input.height, plan.spec.input.width, plan.spec.input.channels],
            macs: macs, flops: 2 * macs, params: plan.parameterCount, memoryBytes: plan.memoryBytes,
            threads: threads, affinity: affinity, seed: seed, measurement: policy,
            latencyUs: statistics, conservativeLatency: conservative, blocks: blocks,
            blockSumUs: blocks.reduce(0) { $0 + $1.latencyUs.mean },
            telemetry: telemetry, reward: reward, p50RatioEdgeprobeToXnnpack: ratio, warnings: warnings,
            unavailable: unavailable)
    }
}

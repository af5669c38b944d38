import Kernels
import Measurement
import Models
import Telemetry
import Tensors

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

    /// A measurement configuration.
    public init(threads: Int, cpus: [Int]?, policy: MeasurementPolicy, seed: UInt64, percentile: Int = 90, reward: RewardRequest? = nil) {
        self.threads = threads
        self.cpus = cpus
        self.policy = policy
        self.seed = seed
        self.percentile = percentile
        self.reward = reward
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

    /// Builds and measures `plan`.
    /// - Parameters:
    ///   - source: where the spec came from, for the record.
    ///   - telemetry: sampled around the timed runs; `nil` leaves the telemetry figures null.
    public func run(
        plan: ArchitecturePlan, source: String, telemetry: (any TelemetryProbe)?, stopFlag: StopFlag = StopFlag()
    ) throws(Failure) -> LatencyRecord {
        let network: Network
        do {
            network = try plan.build(seed: seed)
        } catch {
            throw .build(error.description)
        }
        var initializer = WeightInitializer(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        let input = initializer.input(network.inputShape)
        let pool = ThreadPool(threadCount: threads, cpus: cpus)
        let runner = BenchmarkRunner(policy: policy, stopFlag: stopFlag)

        var layerTimes = [[Double]](repeating: [], count: network.layers.count)
        for index in layerTimes.indices { layerTimes[index].reserveCapacity(policy.warmupIterations + policy.minIterations) }
        telemetry?.begin()
        let latencies = runner.measure {
            let output = network.forward(input, pool: pool) { index, body in
                let start = MonotonicClock.now()
                body()
                layerTimes[index].append(Double(MonotonicClock.now() - start) / 1e3)
            }
            blackHole(output)
        }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        guard latencies.count >= policy.minIterations, let statistics = LatencyStatistics(latencies) else {
            throw .interrupted(completed: latencies.count)
        }
        return record(plan: plan, source: source, statistics: statistics, latencies: latencies,
                      layerTimes: layerTimes, affinity: pool.effectiveAffinity, telemetry: summary)
    }

    // MARK: - Summarizing

    private func record(
        plan: ArchitecturePlan, source: String, statistics: LatencyStatistics, latencies: [Double],
        layerTimes: [[Double]], affinity: [[Int]], telemetry: TelemetrySummary
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
        let macs = plan.macs
        return LatencyRecord(
            name: plan.spec.name, source: source,
            input: [plan.spec.input.height, plan.spec.input.width, plan.spec.input.channels],
            macs: macs, flops: 2 * macs, params: plan.parameterCount, memoryBytes: plan.memoryBytes,
            threads: threads, affinity: affinity, seed: seed, measurement: policy,
            latencyUs: statistics, conservativeLatency: conservative, blocks: blocks,
            blockSumUs: blocks.reduce(0) { $0 + $1.latencyUs.mean },
            telemetry: telemetry, reward: reward, warnings: warnings,
            unavailable: reward == nil ? ["reward": "no --accuracy and --target-ms given"] : [:])
    }
}

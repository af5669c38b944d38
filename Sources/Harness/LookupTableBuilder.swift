import Kernels
import Models
import Reports
import Telemetry
import Tensors

/// Measures every distinct block of a search space in isolation and collects a `LookupTable`.
public struct LookupTableBuilder: Sendable {
    /// Threads, pinning, policy and seed, as for a single architecture.
    public var measurement: LatencyMeasurement

    /// A builder measuring as `measurement` says (its percentile and reward are not used).
    public init(measurement: LatencyMeasurement) {
        self.measurement = measurement
    }

    /// What measuring a table produced.
    public struct Outcome: Sendable {
        /// The table.
        public var table: LookupTable
        /// Its summary record.
        public var record: LookupTableRecord
    }

    /// Measures every block of `space`.
    /// - Parameters:
    ///   - progress: called before each block with its index, the total and its key.
    /// - Throws: `LatencyMeasurement.Failure` when stopped or a block cannot be built.
    public func run(
        space: ArchitectureSearchSpace, board: BoardProfile, version: String, telemetry: (any TelemetryProbe)?,
        stopFlag: StopFlag, progress: ((Int, Int, String) -> Void)? = nil
    ) throws(LatencyMeasurement.Failure) -> Outcome {
        let started = MonotonicClock.now()
        let layers: [ArchitecturePlanLayer]
        do {
            layers = try space.distinctLayers()
        } catch {
            throw .build(error.description)
        }
        let pool = ThreadPool(threadCount: measurement.threads, cpus: measurement.cpus)
        let runner = BenchmarkRunner(policy: measurement.policy, stopFlag: stopFlag)
        var initializer = WeightInitializer(seed: measurement.seed)
        var entries: [String: LookupTable.Entry] = [:]
        var noisy: [String] = []
        telemetry?.begin()
        for (index, layer) in layers.enumerated() {
            progress?(index, layers.count, layer.lookupKey)
            let built: any NetworkLayer
            do {
                built = try layer.build(initializer: &initializer)
            } catch {
                throw .build(error.description)
            }
            let input = initializer.input(layer.inputShape)
            var output = Tensor(shape: layer.outputShape)
            let latencies = runner.measure {
                built.forward(input, into: &output, pool: pool)
                blackHole(output)
            }
            guard latencies.count >= measurement.policy.minIterations, let statistics = LatencyStatistics(latencies) else {
                throw .interrupted(completed: index)
            }
            entries[layer.lookupKey] = LookupTable.Entry(
                mean: statistics.mean / 1e3, std: statistics.std / 1e3, p50: statistics.p50 / 1e3, min: statistics.min / 1e3,
                n: statistics.n)
            if statistics.cv > 0.10 { noisy.append(layer.lookupKey) }
        }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        let duration = Double(MonotonicClock.now() - started) / 1e9
        let host = HostDescription.current()
        let board = [
            "profile": board.name, "cpu_model": host.cpuModel ?? "unknown", "board_model": host.boardModel ?? "unknown",
            "cores": String(host.cores), "architecture": host.architecture, "kernel": host.kernel,
        ]
        var conditions = [
            "edgeprobe_version": version, "space": space.name, "space_file": space.path, "threads": String(measurement.threads),
            "affinity": pool.effectiveAffinity.map { $0.map(String.init).joined(separator: ",") }.joined(separator: " "),
            "seed": String(measurement.seed), "warmup_iterations": String(measurement.policy.warmupIterations),
            "min_iterations": String(measurement.policy.minIterations), "min_time_s": String(measurement.policy.minTimeS),
            "measured_at": Timestamp.now(), "duration_s": String((duration * 10).rounded() / 10), "unit": "ms",
            "statistic": "each block alone, its input and weights resident, after warm-up",
        ]
        let figures: [(String, Double?)] = [
            ("temp_c_min", summary.tempCMin), ("temp_c_max", summary.tempCMax), ("freq_hz_min", summary.freqHzMin),
            ("freq_hz_max", summary.freqHzMax), ("cpu_busy_pct_mean", summary.cpuBusyPctMean),
        ]
        for (name, value) in figures { conditions[name] = value.map { String($0) } ?? "unavailable" }
        conditions["throttled"] = summary.throttled.map { String($0) } ?? "unavailable"
        let table = LookupTable(entries: entries, board: board, conditions: conditions)
        let record = LookupTableRecord(
            space: space.name, spacePath: space.path, output: nil, entries: entries.count,
            spaceSize: space.size, durationS: duration, threads: measurement.threads,
            affinity: pool.effectiveAffinity, measurement: measurement.policy, telemetry: summary,
            warnings: noisy.isEmpty ? [] : ["\(noisy.count) of \(entries.count) blocks are noisy (cv > 10%): \(noisy.prefix(5).joined(separator: ", "))"])
        return Outcome(table: table, record: record)
    }
}

extension TelemetrySummary {
    /// A summary saying no probe sampled the run.
    init(withoutProbe: Void) {
        self.init(
            samples: 0, cpuBusyPctMean: nil, cpuBusyPctMax: nil, tempCMin: nil, tempCMax: nil, freqHzMin: nil,
            freqHzMax: nil, throttled: nil, rssBytesMax: nil, samplerCostUs: nil,
            unavailable: ["telemetry": "no telemetry probe for this measurement"])
    }
}

/// The JSON-lines summary of a measured lookup table (the table itself is YAML).
public struct LookupTableRecord: Record {
    public static let recordType = "lut"

    /// The search space's name.
    public let space: String
    /// The space file.
    public let spacePath: String
    /// Where the YAML table was written; null when it went nowhere.
    @Nullable public var output: String?
    /// Blocks measured.
    public let entries: Int
    /// Architectures the space holds.
    public let spaceSize: Double
    /// Seconds the measurement took.
    public let durationS: Double
    /// Benchmark threads.
    public let threads: Int
    /// The CPU set each benchmark thread actually ran on.
    public let affinity: [[Int]]
    /// Warm-up, minimum iterations and time per block.
    public let measurement: MeasurementPolicy
    /// Telemetry over the whole measurement.
    public let telemetry: TelemetrySummary
    /// Conditions that make the table less trustworthy.
    public let warnings: [String]
}

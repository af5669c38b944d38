import Engines
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Telemetry
import Tensors

/// Measures every distinct block of a search space and collects a `LookupTable`.
///
/// By default each block is timed inside whole networks of the space (`Context.network`): on
/// this kind of machine a block alone runs with its weights, buffers and input resident in the
/// caches and takes about 0.6x the time it takes inside a network, where its input was just
/// written by the previous block but its own weights and buffers were last touched one
/// inference ago (Docs/nas.md, "Why blocks alone mispredict networks").
public struct LookupTableBuilder: Sendable {
    /// Where blocks are timed.
    public enum Context: String, Sendable, CaseIterable {
        /// Inside random networks of the space that together hold every block `occurrences` times.
        case network
        /// Each block alone, repeated back to back: its caches warm, unlike in a network.
        case isolated
    }

    /// Threads, pinning, policy and seed, as for a single architecture.
    public var measurement: LatencyMeasurement
    /// Where blocks are timed.
    public var context: Context
    /// With `.network`: the fewest networks each block is timed in.
    public var occurrences: Int

    /// A builder measuring as `measurement` says (its percentile and reward are not used).
    public init(measurement: LatencyMeasurement, context: Context = .network, occurrences: Int = 3) {
        self.measurement = measurement
        self.context = context
        self.occurrences = occurrences
    }

    /// What measuring a table produced.
    public struct Outcome: Sendable {
        /// The table.
        public var table: LookupTable
        /// Its summary record.
        public var record: LookupTableRecord
    }

    /// Seeds the context networks' choices apart from the weights and from `lut --check` sampling.
    static let contextSeedSalt: UInt64 = 0xC0_7E_A7

    /// Measures every block of `space`.
    /// - Parameters:
    ///   - progress: called with a line of progress: each block, or networks done (when one finishes, and every 5 s).
    /// - Throws: `LatencyMeasurement.Failure` when stopped or a block cannot be built.
    public func run(
        space: ArchitectureSearchSpace, board: BoardProfile, version: String, telemetry: (any TelemetryProbe)?,
        stopFlag: StopFlag, progress: ((String) -> Void)? = nil
    ) throws(LatencyMeasurement.Failure) -> Outcome {
        let started = MonotonicClock.now()
        let layers: [ArchitecturePlanLayer]
        do {
            layers = try space.distinctLayers()
        } catch {
            throw .build(error.description)
        }
        let engine = measurement.engine.engines[0]
        let threads: EngineThreads
        do {
            threads = try EngineThreads(engines: [engine], threadCount: measurement.threads, cpus: measurement.cpus)
        } catch {
            throw .build(error.description)
        }
        telemetry?.begin()
        let measured = switch context {
        case .isolated: try measureIsolated(layers, engine: engine, threads: threads, stopFlag: stopFlag, progress: progress)
        case .network:
            try measureInNetworks(space, keys: Set(layers.map(\.lookupKey)), engine: engine, threads: threads,
                                  stopFlag: stopFlag, progress: progress)
        }
        let summary = telemetry?.end() ?? TelemetrySummary(withoutProbe: ())
        var entries: [String: LookupTable.Entry] = [:]
        var noisy: [String] = []
        for (key, statistics) in measured.blocks {
            entries[key] = LookupTable.Entry(statistics)
            if statistics.cv > 0.10 { noisy.append(key) }
        }
        let duration = Double(MonotonicClock.now() - started) / 1e9
        let host = HostDescription.current()
        let board = [
            "profile": board.name, "cpu_model": host.cpuModel ?? "unknown", "board_model": host.boardModel ?? "unknown",
            "cores": String(host.cores), "architecture": host.architecture, "kernel": host.kernel,
        ]
        let description = EngineDescription.describe(engine, edgeprobeVersion: version)
        var conditions = [
            "edgeprobe_version": version, "engine": description.engine, "engine_version": description.version ?? LookupTable.unavailableCondition,
            "float32_isa": description.float32Isa,
            "space": space.name, "space_file": space.path, "threads": String(measurement.threads),
            "affinity": threads.effectiveAffinity.map { $0.map(String.init).joined(separator: ",") }.joined(separator: " "),
            "seed": String(measurement.seed), "warmup_iterations": String(measurement.policy.warmupIterations),
            "min_iterations": String(measurement.policy.minIterations), "min_time_s": String(measurement.policy.minTimeS),
            "measured_at": Timestamp.now(), "duration_s": String((duration * 10).rounded() / 10), "unit": "ms",
            "context": context.rawValue, "statistic": measured.method,
        ]
        if context == .network {
            conditions["context_networks"] = String(measured.networks)
            conditions["occurrences_min"] = String(occurrences)
            conditions["reference_network"] = measured.referenceName
            conditions["undisturbed_share"] = measured.undisturbedShare.map { String(($0 * 1000).rounded() / 1000) } ?? LookupTable.unavailableCondition
        }
        let figures: [(String, Double?)] = [
            ("temp_c_min", summary.tempCMin), ("temp_c_max", summary.tempCMax), ("freq_hz_min", summary.freqHzMin),
            ("freq_hz_max", summary.freqHzMax), ("cpu_busy_pct_mean", summary.cpuBusyPctMean),
        ]
        for (name, value) in figures { conditions[name] = value.map { String($0) } ?? LookupTable.unavailableCondition }
        conditions["throttled"] = summary.throttled.map { String($0) } ?? LookupTable.unavailableCondition
        let table = LookupTable(entries: entries, board: board, conditions: conditions,
                                networkOverhead: measured.overhead.map(LookupTable.Entry.init),
                                referenceNetwork: measured.reference.map(LookupTable.Entry.init),
                                medianScale: measured.medianScale, calibrationNetworks: measured.calibrationNetworks)
        let record = LookupTableRecord(
            space: space.name, spacePath: space.path, engine: description.engine, engineDescription: description, output: nil,
            entries: entries.count,
            spaceSize: space.size, durationS: duration, threads: measurement.threads,
            affinity: threads.effectiveAffinity, measurement: measurement.policy, telemetry: summary,
            warnings: noisy.isEmpty ? [] : ["\(noisy.count) of \(entries.count) blocks are noisy (cv > 10%): \(noisy.sorted().prefix(5).joined(separator: ", "))"],
            unavailable: description.unavailable())
        return Outcome(table: table, record: record)
    }

    // MARK: - Measuring

    /// Per-key statistics in microseconds, the network overhead if measured, and how.
    private struct Measured {
        var blocks: [String: LatencyStatistics]
        var overhead: LatencyStatistics?
        var reference: LatencyStatistics?
        var referenceName: String?
        var medianScale: LookupTable.Scale?
        var calibrationNetworks: [String: Double] = [:]
        /// Share of plain runs whose threads waited for a CPU at most 5% of the run; `nil` without schedstat.
        var undisturbedShare: Double?
        var networks: Int
        var method: String
    }

    private func measureIsolated(
        _ layers: [ArchitecturePlanLayer], engine: Engine, threads: EngineThreads, stopFlag: StopFlag,
        progress: ((String) -> Void)?
    ) throws(LatencyMeasurement.Failure) -> Measured {
        let runner = BenchmarkRunner(policy: measurement.policy, stopFlag: stopFlag)
        var initializer = WeightInitializer(seed: measurement.seed)
        var blocks: [String: LatencyStatistics] = [:]
        for (index, layer) in layers.enumerated() {
            progress?("[\(index + 1)/\(layers.count)] \(layer.lookupKey)")
            let definition = layer.definition(initializer: &initializer)
            let built: EngineNetwork
            do {
                built = try EngineNetwork(definition, engine: engine, threads: threads,
                                          input: initializer.input(layer.inputShape))
            } catch {
                throw .build("\(error)")
            }
            let latencies = runner.measure { built.run() }
            guard latencies.count >= measurement.policy.minIterations, let statistics = LatencyStatistics(latencies) else {
                throw .interrupted(completed: index)
            }
            blocks[layer.lookupKey] = statistics
        }
        return Measured(blocks: blocks, overhead: nil, reference: nil, referenceName: nil, medianScale: nil, networks: 0,
                        method: "each block alone, its input and weights resident, after warm-up")
    }

    private func measureInNetworks(
        _ space: ArchitectureSearchSpace, keys: Set<String>, engine: Engine, threads: EngineThreads, stopFlag: StopFlag,
        progress: ((String) -> Void)?
    ) throws(LatencyMeasurement.Failure) -> Measured {
        let plans: [ArchitecturePlan]
        var networks: [EngineNetwork] = []
        do {
            plans = try space.contextPlans(occurrences: occurrences, seed: measurement.seed ^ Self.contextSeedSalt)
        } catch {
            throw .build(error.description)
        }
        let uncovered = keys.subtracting(plans.flatMap { $0.layers.map(\.lookupKey) })
        guard uncovered.isEmpty else { throw .build("no context network holds \(uncovered.sorted().joined(separator: ", "))") }
        var initializer = WeightInitializer(seed: measurement.seed ^ 0x9E37_79B9_7F4A_7C15)
        do {
            for plan in plans {
                networks.append(try EngineNetwork(plan.definition(seed: measurement.seed), engine: engine, threads: threads,
                                                  input: initializer.input(plan.spec.input)))
            }
        } catch {
            throw .build("\(error)")
        }
        // Per network: its plain runs, with the time other processes kept its threads from a CPU.
        var plain = [DelayAdjustedRuns](repeating: DelayAdjustedRuns(), count: plans.count)
        var layerTimes = plans.map { [[Double]](repeating: [], count: $0.layers.count) }
        var overheads: [Double] = []
        let delay = SchedulingDelay()
        progress?("timing \(keys.count) blocks inside \(networks.count) networks of the space, in turns")
        let runs = InterleavedRuns(policy: measurement.policy, stopFlag: stopFlag)
        var roundsProgress = NetworkRoundsProgress(networks: networks.count, finishedWord: "done", report: progress)
        // Each timed iteration runs the network twice: plainly for its end-to-end latency, then
        // with a clock around every block. Their difference (each less the time its threads waited
        // for a CPU) is one sample of the network overhead; pairing adjacent runs keeps slow phases
        // of a shared machine out of it. Block samples are kept as measured: a block is short, so
        // the few runs another process hits move its median little.
        let endToEnd = runs.run(count: networks.count, iterate: { index, timed in
            let waited = timed ? delay?.reading() : nil
            let start = MonotonicClock.now()
            networks[index].run()
            let latency = Double(MonotonicClock.now() - start) / 1e3
            if timed {
                let plainDelay = delay?.microseconds(since: waited) ?? 0
                plain[index].append(latency: latency, delay: plainDelay)
                var blockSum = 0.0
                let clockedWaited = delay?.reading()
                networks[index].run { layer, body in
                    let blockStart = MonotonicClock.now()
                    body()
                    let blockLatency = Double(MonotonicClock.now() - blockStart) / 1e3
                    layerTimes[index][layer].append(blockLatency)
                    blockSum += blockLatency
                }
                overheads.append((latency - plainDelay) - (blockSum - (delay?.microseconds(since: clockedWaited) ?? 0)))
            }
            return latency
        }, progress: { roundsProgress.roundEnded(finished: $0) })
        guard !stopFlag.isRaised, endToEnd.allSatisfy({ $0.count >= measurement.policy.minIterations }) else {
            throw .interrupted(completed: endToEnd.map(\.count).min() ?? 0)
        }
        var samples: [String: [Double]] = [:]
        for (index, plan) in plans.enumerated() {
            for (layer, times) in zip(plan.layers, layerTimes[index]) { samples[layer.lookupKey, default: []].append(contentsOf: times) }
        }
        let blocks = samples.mapValues { LatencyStatistics($0)! }
        let overhead = LatencyStatistics(overheads)
        let networkMedians = plain.map { LatencyStatistics($0.adjusted)!.p50 }
        // Each network's end-to-end median over what the table predicts for it from medians.
        let medianScale = LookupTable.Scale(ratios: plans.indices.map { index in
            let predicted = plans[index].layers.reduce(overhead?.p50 ?? 0) { $0 + blocks[$1.lookupKey]!.p50 }
            return networkMedians[index] / predicted
        })
        let calibrationNetworks = Dictionary(uniqueKeysWithValues: plans.indices.map { (plans[$0].spec.name, networkMedians[$0] / 1e3) })
        let undisturbedShare = Double(plain.map(\.undisturbedCount).reduce(0, +)) / Double(max(1, plain.map(\.latencies.count).reduce(0, +)))
        return Measured(
            blocks: blocks, overhead: overhead, reference: LatencyStatistics(plain[0].adjusted), referenceName: plans[0].spec.name,
            medianScale: medianScale, calibrationNetworks: calibrationNetworks, undisturbedShare: delay == nil ? nil : undisturbedShare,
            networks: networks.count,
            method: "each block timed inside \(networks.count) random networks of the space measured in turns (every block in at least \(occurrences)), samples pooled; end-to-end runs less the time their threads waited for a CPU (schedstat run_delay); network_overhead: end-to-end run minus the block sum of the run right after it; reference_network: end to end, \(plans[0].spec.name); calibration_networks: each network's end-to-end median; median_scale: per network, its end-to-end median over the sum of its blocks' medians plus the overhead's, median over the networks")
    }

    /// The context networks of a table measured in `.network` context, rebuilt from the table's
    /// `seed` and `occurrences_min` conditions.
    /// - Returns: `nil` when the table lacks those conditions.
    public static func contextPlans(table: LookupTable, space: ArchitectureSearchSpace) throws(ArchitectureError) -> [ArchitecturePlan]? {
        guard let seed = table.conditions["seed"].flatMap(UInt64.init),
              let occurrences = table.conditions["occurrences_min"].flatMap(Int.init) else { return nil }
        return try space.contextPlans(occurrences: occurrences, seed: seed ^ contextSeedSalt)
    }

    /// The reference network of a table measured in `.network` context: the first context
    /// network, rebuilt from the table's `seed` and `occurrences_min` conditions.
    /// - Returns: `nil` when the table lacks those conditions.
    public static func referencePlan(table: LookupTable, space: ArchitectureSearchSpace) throws(ArchitectureError) -> ArchitecturePlan? {
        guard let name = table.conditions["reference_network"], let plan = try contextPlans(table: table, space: space)?.first else { return nil }
        return plan.spec.name == name ? plan : nil
    }
}

extension LookupTable.Entry {
    /// An entry in milliseconds from statistics in microseconds.
    init(_ statistics: LatencyStatistics) {
        self.init(mean: statistics.mean / 1e3, std: statistics.std / 1e3, p50: statistics.p50 / 1e3, min: statistics.min / 1e3,
                  n: statistics.n)
    }
}

/// The JSON-lines summary of a measured lookup table (the table itself is YAML).
public struct LookupTableRecord: Record {
    public static let recordType = "lut"

    /// The search space's name.
    public let space: String
    /// The space file.
    public let spacePath: String
    /// The engine whose latencies the table holds: `edgeprobe` or `xnnpack` (`engine_description.engine`).
    public let engine: String
    /// That engine as `run_start` names it: its version (the table's `engine_version` condition),
    /// its instruction-set paths and the cap on them.
    public let engineDescription: EngineDescription
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
    /// Why a figure above is null.
    public let unavailable: [String: String]
}

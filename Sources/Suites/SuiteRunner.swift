import CompressionStudy
import Engines
import Glibc
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Telemetry

/// Runs a suite on the board: for each placement (threads on CPUs) and each layer, cool down if
/// asked, sample telemetry while timing it on each engine (`--engine both`: in turns), and write
/// one `bench` record per engine; for each model, one
/// `compression` record per compression stage (first placement); then one `comparison` per pair
/// (a run with a single placement only: a sweep's records compare through `threads`/`cluster`)
/// and a `run_end`.
///
/// Every layer's weights are built before the first one runs (for each placement), so a layer
/// that cannot be built stops the run before anything is measured.
public final class SuiteRunner {
    /// What a finished (or interrupted) run produced.
    public struct Outcome: Sendable {
        /// Every `bench` record written, in order.
        public var benches: [BenchRecord] = []
        /// Every `comparison` record written.
        public var comparisons: [ComparisonRecord] = []
        /// Every `compression` record written (the suite's models).
        public var compressions: [CompressionRecord] = []
        /// The closing record.
        public var end: RunEndRecord?
    }

    private let suite: Suite
    private let board: BoardProfile
    private let options: BenchOptions
    private let writer: RecordWriter
    private let telemetry: any TelemetryProbe
    private let stopFlag: StopFlag
    private let progress: Progress?
    private let placements: [BenchPlacement]

    /// A runner for `suite` on `board`, writing records to `writer`. `placements` are where the
    /// layers run, one after the other (`bench --sweep-clusters`); by default `options`' threads
    /// and CPUs, with no cluster named.
    public init(
        suite: Suite, board: BoardProfile, options: BenchOptions, writer: RecordWriter,
        telemetry: any TelemetryProbe, stopFlag: StopFlag, progress: Progress?, placements: [BenchPlacement]? = nil
    ) {
        self.suite = suite
        self.board = board
        self.options = options
        self.placements = placements ?? [BenchPlacement(threads: options.threads, cpus: options.cpus, cluster: nil)]
        self.writer = writer
        self.telemetry = telemetry
        self.stopFlag = stopFlag
        self.progress = progress
    }

    /// Runs the suite. Records already written stay written if a later one fails.
    /// - Throws: an error building a layer (before anything ran), or the record writer's error.
    public func run() throws -> Outcome {
        let started = MonotonicClock.now()
        let engines = options.engine.engines
        let runner = BenchmarkRunner(policy: options.measurement, stopFlag: stopFlag)
        var outcome = Outcome()
        var warnings: [String] = []
        var samplerCosts: [Double] = []
        let total = suite.layers.count * placements.count
        var firstThreads: EngineThreads?

        for (placementIndex, placement) in placements.enumerated() where !stopFlag.isRaised {
            let threads = try EngineThreads(engines: engines, threadCount: placement.threads, cpus: placement.cpus)
            if firstThreads == nil { firstThreads = threads }
            let workloads = try Self.workloads(
                suite.layers, engines: engines, precision: options.precision, threads: threads, seed: options.seed)
            for (layerIndex, layerWorkloads) in workloads.enumerated() where !stopFlag.isRaised {
                let layer = layerWorkloads[0].layer
                let index = placementIndex * workloads.count + layerIndex
                let label = placements.count == 1 ? layer.name : "\(layer.name) [\(placement.label)]"
                progress?.starting(layer: label, index: index, of: total)
                let waited = options.cooldownToC.map { cool(to: $0, before: layer.name, warnings: &warnings) }
                if stopFlag.isRaised { break }
                telemetry.begin()
                let latencies = measure(layerWorkloads, runner: runner)
                let summary = telemetry.end()
                let measured = latencies.compactMap { LatencyStatistics($0) }
                guard measured.count == latencies.count else { break }
                let policy = options.measurement
                // Cut short by a signal: written as what it is, but not a result (not counted, not compared).
                let interrupted = stopFlag.isRaised
                let ratio = interrupted ? nil : EngineRatio.edgeprobeToXNNPACK(zip(layerWorkloads, measured).map { ($0.engine, $1.p50) })
                var records: [BenchRecord] = []
                for (engineIndex, workload) in layerWorkloads.enumerated() {
                    let series = latencies[engineIndex]
                    let capped = !interrupted && series.count >= policy.maxIterations && series.reduce(0, +) < policy.minTimeS * 1e6
                    let record = BenchRecord(
                        layer: layer, engine: workload.engine, precision: workload.precision, statistics: measured[engineIndex], threads: placement.threads,
                        affinity: threads.effectiveAffinity, cluster: placement.cluster, telemetry: summary, cooldownWaitS: waited,
                        p50RatioEdgeprobeToXnnpack: ratio, interrupted: interrupted, iterationCapReached: capped)
                    try writer.write(record)
                    records.append(record)
                    if capped {
                        let seconds = (series.reduce(0, +) / 1e4).rounded() / 100
                        let engineLabel = layerWorkloads.count > 1 ? "\(label) (\(workload.engine))" : label
                        warnings.append("\(engineLabel): stopped at the \(policy.maxIterations)-iteration cap "
                                        + "after \(seconds) s, short of the \(policy.minTimeS) s minimum time")
                    }
                }
                if interrupted { break }
                for record in records {
                    outcome.benches.append(record)
                    warnings.append(contentsOf: Self.warnings(for: record, throttleTempC: board.throttleTempC))
                }
                samplerCosts.append(contentsOf: summary.samplerCostUs.map { [$0] } ?? [])
                progress?.finished(layer: label, p50Us: measured[0].p50, cv: measured[0].cv)
            }
        }

        if !suite.models.isEmpty, let threads = firstThreads, threads.pool == nil {
            warnings.append("the suite's models run on edgeprobe's kernels only: skipped with --engine \(options.engine)")
        }
        for (index, model) in suite.models.enumerated() where !stopFlag.isRaised {
            guard let pool = firstThreads?.pool else { break }
            progress?.starting(layer: model.name, index: total + index, of: total + suite.models.count)
            let study = try CompressionStudy.make(for: model, seed: options.seed, pool: pool)
            let records = try study.run(pool: pool, runner: runner, telemetry: telemetry, writer: writer)
            outcome.compressions.append(contentsOf: records)
            for record in records where record.latencyUs.cv > 0.10 {
                let percent = (record.latencyUs.cv * 1000).rounded() / 10
                warnings.append("\(model.name) \(record.variant): noisy, coefficient of variation \(percent)%")
            }
        }

        for pair in suite.pairs where placements.count == 1 {
            for engine in engines {
                guard let baseline = outcome.benches.first(where: { $0.name == pair.baseline && $0.engine == engine.rawValue }),
                      let candidate = outcome.benches.first(where: { $0.name == pair.candidate && $0.engine == engine.rawValue })
                else { continue }
                let record = ComparisonRecord(pair: pair, baseline: baseline, candidate: candidate)
                try writer.write(record)
                outcome.comparisons.append(record)
            }
        }

        let end = RunEndRecord(
            layersCompleted: outcome.benches.count / engines.count, layersTotal: total,
            comparisons: outcome.comparisons.count,
            durationS: Double(MonotonicClock.now() - started) / 1e9,
            interrupted: stopFlag.isRaised, signal: stopFlag.raisedBySignal.map(RunEndRecord.signalName),
            warnings: warnings,
            samplerCostUs: samplerCosts.isEmpty ? nil : samplerCosts.reduce(0, +) / Double(samplerCosts.count))
        try writer.write(end)
        outcome.end = end
        return outcome
    }

    // MARK: - Measuring

    /// Per layer, one workload per engine in `precision`, each drawing the same weights and input from `seed`.
    private static func workloads(
        _ layers: [SuiteLayer], engines: [Engine], precision: Precision, threads: EngineThreads, seed: UInt64
    ) throws -> [[LayerWorkload]] {
        var initializer = WeightInitializer(seed: seed)
        var workloads: [[LayerWorkload]] = []
        for layer in layers {
            let start = initializer
            workloads.append(try engines.map { engine in
                initializer = start
                return try LayerWorkload(
                    layer: layer, engine: engine, precision: precision, threads: threads, initializer: &initializer)
            })
        }
        return workloads
    }

    /// The latencies of one layer on each engine: alone under the runner's policy, or with two
    /// engines in interleaved turns (so a burst of load from other processes slows both alike).
    private func measure(_ workloads: [LayerWorkload], runner: BenchmarkRunner) -> [[Double]] {
        if workloads.count == 1 {
            return [runner.measure { workloads[0].run() }]
        }
        return InterleavedRuns(policy: options.measurement, stopFlag: stopFlag).run(count: workloads.count) { index, _ in
            let start = MonotonicClock.now()
            workloads[index].run()
            return Double(MonotonicClock.now() - start) / 1e3
        }
    }

    // MARK: - Cooldown

    /// Waits until the hottest sensor reads below `limit`, the timeout passes, or a stop is asked.
    /// - Returns: seconds waited.
    private func cool(to limit: Double, before layer: String, warnings: inout [String]) -> Double {
        let cooldown = Cooldown(limitC: limit, timeoutS: options.cooldownTimeoutS)
        let outcome = cooldown.wait(hottest: telemetry.hottestTemperatureC, stopFlag: stopFlag) { temperature in
            progress?.cooling(temperatureC: temperature, limitC: limit)
        }
        if let still = outcome.stillC { warnings.append("\(layer): " + cooldown.warning(stillC: still)) }
        return outcome.waitedS
    }

    // MARK: - Judging results

    /// Warnings a layer's measurement deserves.
    static func warnings(for record: BenchRecord, throttleTempC: Double?) -> [String] {
        var warnings: [String] = []
        if record.telemetry.throttled == true {
            warnings.append("\(record.name): the CPU was throttled while it ran")
        }
        if let limit = throttleTempC, let hottest = record.telemetry.tempCMax, hottest >= limit {
            warnings.append("\(record.name): reached \(hottest) C, at or above the board's throttle limit \(limit) C")
        }
        if record.latencyUs.cv > 0.10 {
            let percent = (record.latencyUs.cv * 1000).rounded() / 10
            warnings.append("\(record.name): noisy, coefficient of variation \(percent)%")
        }
        return warnings
    }
}

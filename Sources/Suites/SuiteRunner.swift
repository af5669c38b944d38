import CompressionStudy
import Engines
import Glibc
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Telemetry

/// Runs a suite on the board: for each layer, cool down if asked, sample telemetry while
/// timing it, and write a `bench` record; for each model, one `compression` record per
/// compression stage; then one `comparison` per pair and a `run_end`.
///
/// Every layer's weights are built before the first one runs, so a layer that cannot be built
/// stops the run before anything is measured.
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

    /// A runner for `suite` on `board`, writing records to `writer`.
    public init(
        suite: Suite, board: BoardProfile, options: BenchOptions, writer: RecordWriter,
        telemetry: any TelemetryProbe, stopFlag: StopFlag, progress: Progress?
    ) {
        self.suite = suite
        self.board = board
        self.options = options
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
        let threads = try EngineThreads(engines: engines, threadCount: options.threads, cpus: options.cpus)
        // Per layer, one workload per engine, each drawing the same weights and input.
        var initializer = WeightInitializer(seed: options.seed)
        var workloads: [[LayerWorkload]] = []
        for layer in suite.layers {
            let start = initializer
            workloads.append(try engines.map { engine in
                initializer = start
                return try LayerWorkload(layer: layer, engine: engine, threads: threads, initializer: &initializer)
            })
        }
        let runner = BenchmarkRunner(policy: options.measurement, stopFlag: stopFlag)
        var outcome = Outcome()
        var warnings: [String] = []
        var samplerCosts: [Double] = []

        for (index, layerWorkloads) in workloads.enumerated() where !stopFlag.isRaised {
            let layer = layerWorkloads[0].layer
            progress?.starting(layer: layer.name, index: index, of: workloads.count)
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
            let ratio = measured.count == 2 && !interrupted ? measured[0].p50 / measured[1].p50 : nil
            var records: [BenchRecord] = []
            for (engineIndex, workload) in layerWorkloads.enumerated() {
                let series = latencies[engineIndex]
                let capped = !interrupted && series.count >= policy.maxIterations && series.reduce(0, +) < policy.minTimeS * 1e6
                let record = BenchRecord(
                    layer: layer, engine: workload.engine, statistics: measured[engineIndex], threads: options.threads,
                    affinity: threads.effectiveAffinity, telemetry: summary, cooldownWaitS: waited,
                    p50RatioEdgeprobeToXnnpack: ratio, interrupted: interrupted, iterationCapReached: capped)
                try writer.write(record)
                records.append(record)
                if capped {
                    let seconds = (series.reduce(0, +) / 1e4).rounded() / 100
                    let label = layerWorkloads.count > 1 ? "\(layer.name) (\(workload.engine))" : layer.name
                    warnings.append("\(label): stopped at the \(policy.maxIterations)-iteration cap "
                                    + "after \(seconds) s, short of the \(policy.minTimeS) s minimum time")
                }
            }
            if interrupted { break }
            for record in records {
                outcome.benches.append(record)
                warnings.append(contentsOf: Self.warnings(for: record, throttleTempC: board.throttleTempC))
            }
            samplerCosts.append(contentsOf: summary.samplerCostUs.map { [$0] } ?? [])
            progress?.finished(layer: layer.name, p50Us: measured[0].p50, cv: measured[0].cv)
        }

        if !suite.models.isEmpty, threads.pool == nil {
            warnings.append("the suite's models run on edgeprobe's kernels only: skipped with --engine \(options.engine)")
        }
        for (index, model) in suite.models.enumerated() where !stopFlag.isRaised {
            guard let pool = threads.pool else { break }
            progress?.starting(layer: model.name, index: workloads.count + index, of: workloads.count + suite.models.count)
            let study = try CompressionStudy.make(for: model, seed: options.seed, pool: pool)
            let records = try study.run(pool: pool, runner: runner, telemetry: telemetry, writer: writer)
            outcome.compressions.append(contentsOf: records)
            for record in records where record.latencyUs.cv > 0.10 {
                let percent = (record.latencyUs.cv * 1000).rounded() / 10
                warnings.append("\(model.name) \(record.variant): noisy, coefficient of variation \(percent)%")
            }
        }

        for pair in suite.pairs {
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
            layersCompleted: outcome.benches.count / engines.count, layersTotal: suite.layers.count,
            comparisons: outcome.comparisons.count,
            durationS: Double(MonotonicClock.now() - started) / 1e9,
            interrupted: stopFlag.isRaised, signal: stopFlag.raisedBySignal.map(Self.signalName),
            warnings: warnings,
            samplerCostUs: samplerCosts.isEmpty ? nil : samplerCosts.reduce(0, +) / Double(samplerCosts.count))
        try writer.write(end)
        outcome.end = end
        return outcome
    }

    // MARK: - Measuring

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
        let started = MonotonicClock.now()
        func elapsed() -> Double { Double(MonotonicClock.now() - started) / 1e9 }
        var announced = false
        while let temperature = telemetry.hottestTemperatureC(), temperature >= limit, !stopFlag.isRaised {
            if elapsed() >= options.cooldownTimeoutS {
                warnings.append(
                    "\(layer): still \(temperature) C after waiting \(Int(options.cooldownTimeoutS)) s to cool below \(limit) C")
                break
            }
            if !announced {
                progress?.cooling(temperatureC: temperature, limitC: limit)
                announced = true
            }
            usleep(250_000)
        }
        return elapsed()
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

    private static func signalName(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(number)"
        }
    }
}

import CompressionStudy
import Glibc
import Kernels
import Measurement
import Models
import Profiles
import Reports
import Telemetry

/// Runs a suite on the board: for each placement (threads on CPUs) and each layer, cool down if
/// asked, sample telemetry while timing it, and write a `bench` record; for each model, one
/// `compression` record per compression stage (first placement); then one `comparison` per pair
/// (a run with a single placement only: a sweep's records compare through `threads`/`cluster`)
/// and a `run_end`.
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
        var initializer = WeightInitializer(seed: options.seed)
        let workloads = try suite.layers.map { try LayerWorkload(layer: $0, initializer: &initializer) }
        let runner = BenchmarkRunner(policy: options.measurement, stopFlag: stopFlag)
        var outcome = Outcome()
        var warnings: [String] = []
        var samplerCosts: [Double] = []
        let total = workloads.count * placements.count

        for (placementIndex, placement) in placements.enumerated() where !stopFlag.isRaised {
            let pool = ThreadPool(threadCount: placement.threads, cpus: placement.cpus)
            for (layerIndex, workload) in workloads.enumerated() where !stopFlag.isRaised {
                let layer = workload.layer
                let index = placementIndex * workloads.count + layerIndex
                let label = placements.count == 1 ? layer.name : "\(layer.name) [\(placement.label)]"
                progress?.starting(layer: label, index: index, of: total)
                let waited = options.cooldownToC.map { cool(to: $0, before: layer.name, warnings: &warnings) }
                if stopFlag.isRaised { break }
                telemetry.begin()
                let latencies = runner.measure { workload.run(pool: pool) }
                let summary = telemetry.end()
                guard let statistics = LatencyStatistics(latencies) else { break }
                let policy = options.measurement
                // Cut short by a signal: written as what it is, but not a result (not counted, not compared).
                let interrupted = stopFlag.isRaised
                let capped = !interrupted && latencies.count >= policy.maxIterations && latencies.reduce(0, +) < policy.minTimeS * 1e6
                let record = BenchRecord(
                    layer: layer, statistics: statistics, threads: placement.threads,
                    affinity: pool.effectiveAffinity, cluster: placement.cluster, telemetry: summary, cooldownWaitS: waited,
                    interrupted: interrupted, iterationCapReached: capped)
                try writer.write(record)
                if interrupted { break }
                if capped {
                    let seconds = (latencies.reduce(0, +) / 1e4).rounded() / 100
                    warnings.append("\(label): stopped at the \(policy.maxIterations)-iteration cap after \(seconds) s, "
                                    + "short of the \(policy.minTimeS) s minimum time")
                }
                outcome.benches.append(record)
                samplerCosts.append(contentsOf: summary.samplerCostUs.map { [$0] } ?? [])
                warnings.append(contentsOf: Self.warnings(for: record, throttleTempC: board.throttleTempC))
                progress?.finished(layer: label, p50Us: statistics.p50, cv: statistics.cv)
            }
        }

        let pool = ThreadPool(threadCount: placements[0].threads, cpus: placements[0].cpus)
        for (index, model) in suite.models.enumerated() where !stopFlag.isRaised {
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
            guard let baseline = outcome.benches.first(where: { $0.name == pair.baseline }),
                  let candidate = outcome.benches.first(where: { $0.name == pair.candidate }) else { continue }
            let record = ComparisonRecord(pair: pair, baseline: baseline, candidate: candidate)
            try writer.write(record)
            outcome.comparisons.append(record)
        }

        let end = RunEndRecord(
            layersCompleted: outcome.benches.count, layersTotal: total,
            comparisons: outcome.comparisons.count,
            durationS: Double(MonotonicClock.now() - started) / 1e9,
            interrupted: stopFlag.isRaised, signal: stopFlag.raisedBySignal.map(RunEndRecord.signalName),
            warnings: warnings,
            samplerCostUs: samplerCosts.isEmpty ? nil : samplerCosts.reduce(0, +) / Double(samplerCosts.count))
        try writer.write(end)
        outcome.end = end
        return outcome
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
}

import Engines
import Glibc
import Measurement
import Reports
import Suites
import Telemetry

/// Runs one workload continuously in windows: cools down to the profile's temperature, warms up,
/// then times every inference (back to back, or started at a fixed rate) and writes a `window`
/// record as each window ends, a `soak` summary and `run_end`. A stop (SIGINT/SIGTERM) drops the
/// unfinished window and summarises the finished ones.
///
/// With two engines (`--engine both`) they take turns through every window, so both meet the
/// same heat: back to back, `turnLength` inferences each; at a fixed rate, one inference of each
/// per start. Each window then gives a record per engine (same telemetry, each engine's own
/// latencies and its ratio to the other), and the soak a summary per engine.
public final class SoakRunner {
    /// What a finished (or interrupted) soak produced.
    public struct Outcome: Sendable {
        /// Every `window` record written, in order (with two engines, each window's edgeprobe record first).
        public var windows: [WindowRecord]
        /// The `soak` record of each engine, edgeprobe first.
        public var summaries: [SoakRecord]
        /// The closing record.
        public var end: RunEndRecord
    }

    /// `--rate` asks for more than one inference allows.
    public struct RateTooHighError: Error, CustomStringConvertible {
        /// The requested rate, per second.
        public let ratePerS: Double
        /// The median warm-up inference, microseconds (with two engines, the sum of their medians:
        /// each start runs one inference of each).
        public let inferenceUs: Double
        /// How many engines each start runs.
        public let engines: Int
        public var description: String {
            let most = (1e6 / inferenceUs * 10).rounded(.down) / 10
            let what = engines == 1 ? "one takes" : "one of each of the \(engines) engines takes"
            return "--rate: \(ratePerS)/s leaves \(Int(1e6 / ratePerS)) us per inference, but \(what) \(Int(inferenceUs.rounded())) us (at most \(most)/s)"
        }
    }

    private let workload: SoakWorkload
    private let configuration: SoakConfiguration
    private let telemetry: SoakTelemetry
    private let aggregator: WindowAggregator
    private let writer: RecordWriter
    private let stopFlag: StopFlag
    private let progress: SoakProgress?
    /// Inferences an engine runs in a row before the other's turn, back to back with two engines
    /// (the turn length of `bench`'s interleaving; unlike `bench`, a soak times every inference it
    /// runs, the first of a turn too, as an application alternating two engines would see them).
    public static let turnLength = 5

    /// A runner writing to `writer`; `progress` gets a line per window.
    public init(
        workload: SoakWorkload, configuration: SoakConfiguration, telemetry: SoakTelemetry,
        aggregator: WindowAggregator, writer: RecordWriter, stopFlag: StopFlag, progress: SoakProgress?
    ) {
        self.workload = workload
        self.configuration = configuration
        self.telemetry = telemetry
        self.aggregator = aggregator
        self.writer = writer
        self.stopFlag = stopFlag
        self.progress = progress
    }

    /// Runs the soak.
    /// - Throws: `RateTooHighError` (after warm-up, before any record), or the writer's error.
    public func run() throws -> Outcome {
        let started = MonotonicClock.now()
        var warnings: [String] = []
        let cooldownWaitS = configuration.cooldownToC.map { cool(to: $0, warnings: &warnings) }
        try warmUp()

        let startTempC = telemetry.hottestTemperatureC()
        _ = telemetry.takeReadings()
        let runs = workload.runs
        var windows: [WindowRecord] = []
        var histograms = [LatencyHistogram](repeating: LatencyHistogram(), count: runs.count)
        var samplerCostUs = 0.0, samples = 0
        let origin = MonotonicClock.now()
        let durationNs = UInt64(configuration.durationS * 1e9)
        let windowNs = UInt64(configuration.windowS * 1e9)
        let periodNs = configuration.ratePerS.map { UInt64(1e9 / $0) }
        let turn = periodNs == nil && runs.count > 1 ? Self.turnLength : 1
        var nextStart = origin
        var windowStart = origin
        var index = 0
        while !stopFlag.isRaised, windowStart - origin < durationNs {
            let windowEnd = Swift.min(origin + UInt64(index + 1) * windowNs, origin + durationNs)
            var latencies = [[Double]](repeating: [], count: runs.count)
            while !stopFlag.isRaised {
                if let periodNs {
                    guard nextStart < windowEnd else {
                        sleep(until: windowEnd)
                        break
                    }
                    sleep(until: nextStart)
                    if stopFlag.isRaised { break }
                    // A late start shifts the schedule instead of bunching inferences to catch up.
                    nextStart = Swift.max(nextStart + periodNs, MonotonicClock.now())
                }
                var after = origin  // set by every inference below: each turn runs at least one
                for (engineIndex, engine) in runs.enumerated() {
                    for _ in 0..<turn {
                        let before = MonotonicClock.now()
                        engine.run()
                        after = MonotonicClock.now()
                        latencies[engineIndex].append(Double(after - before) / 1e3)
                    }
                }
                if periodNs == nil, after >= windowEnd { break }
            }
            if stopFlag.isRaised { break }  // the unfinished window is not a result
            let windowFinished = MonotonicClock.now()
            let readings = telemetry.takeReadings()
            samplerCostUs += readings.reduce(0) { $0 + $1.sample.collectUs }
            samples += readings.count
            let busyUs = latencies.map { $0.reduce(0, +) }
            let allBusyUs = busyUs.reduce(0, +)
            let (windowSamples, power) = (readings.map(\.sample), readings.map(\.powerW))
            var records: [WindowRecord] = []
            for (engineIndex, engine) in runs.enumerated() {
                guard let record = aggregator.window(
                    index: index, startS: Double(windowStart - origin) / 1e9, endS: Double(windowFinished - origin) / 1e9,
                    latenciesUs: latencies[engineIndex], samples: windowSamples, power: power,
                    powerUnavailable: telemetry.powerUnavailable, engine: engine.engine,
                    energyShare: allBusyUs > 0 ? busyUs[engineIndex] / allBusyUs : 1)
                else { break }
                records.append(record)
            }
            guard records.count == runs.count else { break }
            let ratio = EngineRatio.edgeprobeToXNNPACK(zip(runs, records).map { ($0.engine, $1.latencyUs.p50) })
            for engineIndex in records.indices {
                records[engineIndex].setRatio(ratio)
                try writer.write(records[engineIndex])
                histograms[engineIndex].record(latencies[engineIndex])
                progress?.window(records[engineIndex], totalS: configuration.durationS, engines: runs.count)
            }
            windows += records
            windowStart = windowFinished
            index += 1
        }

        let signal = stopFlag.raisedBySignal.map(RunEndRecord.signalName)
        let context = SoakSummary.Context(
            workload: workload.description, durationS: configuration.durationS, windowS: configuration.windowS,
            ratePerS: configuration.ratePerS, threads: configuration.threads, cpus: configuration.cpus,
            cluster: configuration.cluster, board: configuration.board, cooldownWaitS: cooldownWaitS,
            startTempC: startTempC, signal: signal)
        var summaries = runs.indices.map { engineIndex in
            SoakSummary.record(windows: windows.filter { $0.engine == runs[engineIndex].engine.rawValue }, histogram: histograms[engineIndex], context: context,
                               engine: runs[engineIndex].engine)
        }
        let sustainedRatio = EngineRatio.edgeprobeToXNNPACK(zip(runs, summaries).map { ($0.engine, $1.sustainedP50Us) })
        for engineIndex in summaries.indices {
            summaries[engineIndex].setSustainedRatio(sustainedRatio, engines: runs.count)
            try writer.write(summaries[engineIndex])
            if let throttled = summaries[engineIndex].timeToThrottleS {
                let prefix = runs.count > 1 ? "\(summaries[engineIndex].engine): " : ""
                warnings.append(prefix + "throttled from \((throttled * 10).rounded() / 10) s (\(summaries[engineIndex].throttleCause.joined(separator: ", ")))")
            }
        }
        let end = RunEndRecord(
            layersCompleted: signal == nil ? 1 : 0, layersTotal: 1, comparisons: 0,
            durationS: Double(MonotonicClock.now() - started) / 1e9, interrupted: signal != nil, signal: signal,
            warnings: warnings, samplerCostUs: samples == 0 ? nil : samplerCostUs / Double(samples))
        try writer.write(end)
        return Outcome(windows: windows, summaries: summaries, end: end)
    }

    // MARK: - Before the first window

    /// Waits until the hottest sensor reads below `limit`, the timeout passes, or a stop is asked.
    /// - Returns: seconds waited.
    private func cool(to limit: Double, warnings: inout [String]) -> Double {
        let cooldown = Cooldown(limitC: limit, timeoutS: configuration.cooldownTimeoutS)
        let outcome = cooldown.wait(hottest: telemetry.hottestTemperatureC, stopFlag: stopFlag) { temperature in
            progress?.cooling(temperatureC: temperature, limitC: limit)
        }
        if let still = outcome.stillC { warnings.append(cooldown.warning(stillC: still)) }
        return outcome.waitedS
    }

    /// Untimed inferences of each engine; with a rate, also checks that one inference of each fits
    /// in the period.
    private func warmUp() throws {
        let count = configuration.ratePerS == nil ? configuration.warmup : Swift.max(configuration.warmup, 3)
        var mediansUs: [Double] = []
        for engine in workload.runs {
            var latencies: [Double] = []
            for _ in 0..<count where !stopFlag.isRaised {
                let before = MonotonicClock.now()
                engine.run()
                latencies.append(Double(MonotonicClock.now() - before) / 1e3)
            }
            if let median = LatencyStatistics(latencies)?.p50 { mediansUs.append(median) }
        }
        let roundUs = mediansUs.reduce(0, +)
        if let rate = configuration.ratePerS, mediansUs.count == workload.runs.count, roundUs > 1e6 / rate {
            throw RateTooHighError(ratePerS: rate, inferenceUs: roundUs, engines: workload.runs.count)
        }
    }

    /// Sleeps until the monotonic clock reads `deadline` (ns), waking at least every 100 ms to
    /// notice a stop.
    private func sleep(until deadline: UInt64) {
        while !stopFlag.isRaised {
            let now = MonotonicClock.now()
            guard now < deadline else { return }
            usleep(UInt32(Swift.min(deadline - now, 100_000_000) / 1000))
        }
    }
}

import Glibc
import Measurement
import Reports
import Suites
import Telemetry

/// Runs one workload continuously in windows: cools down to the profile's temperature, warms up,
/// then times every inference (back to back, or started at a fixed rate) and writes a `window`
/// record as each window ends, a `soak` summary and `run_end`. A stop (SIGINT/SIGTERM) drops the
/// unfinished window and summarises the finished ones.
public final class SoakRunner {
    /// What a finished (or interrupted) soak produced.
    public struct Outcome: Sendable {
        /// Every `window` record written.
        public var windows: [WindowRecord]
        /// The `soak` record.
        public var summary: SoakRecord
        /// The closing record.
        public var end: RunEndRecord
    }

    /// `--rate` asks for more than one inference allows.
    public struct RateTooHighError: Error, CustomStringConvertible {
        /// The requested rate, per second.
        public let ratePerS: Double
        /// The median warm-up inference, microseconds.
        public let inferenceUs: Double
        public var description: String {
            let most = (1e6 / inferenceUs * 10).rounded(.down) / 10
            return "--rate: \(ratePerS)/s leaves \(Int(1e6 / ratePerS)) us per inference, but one takes \(Int(inferenceUs.rounded())) us (at most \(most)/s)"
        }
    }

    private let workload: SoakWorkload
    private let configuration: SoakConfiguration
    private let telemetry: SoakTelemetry
    private let aggregator: WindowAggregator
    private let writer: RecordWriter
    private let stopFlag: StopFlag
    private let progress: SoakProgress?

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
        var windows: [WindowRecord] = []
        var histogram = LatencyHistogram()
        var samplerCostUs = 0.0, samples = 0
        let origin = MonotonicClock.now()
        let durationNs = UInt64(configuration.durationS * 1e9)
        let windowNs = UInt64(configuration.windowS * 1e9)
        let periodNs = configuration.ratePerS.map { UInt64(1e9 / $0) }
        var nextStart = origin
        var windowStart = origin
        var index = 0
        while !stopFlag.isRaised, windowStart - origin < durationNs {
            let windowEnd = Swift.min(origin + UInt64(index + 1) * windowNs, origin + durationNs)
            var latencies: [Double] = []
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
                let before = MonotonicClock.now()
                workload.run()
                let after = MonotonicClock.now()
                latencies.append(Double(after - before) / 1e3)
                if periodNs == nil, after >= windowEnd { break }
            }
            if stopFlag.isRaised { break }  // the unfinished window is not a result
            let windowFinished = MonotonicClock.now()
            let readings = telemetry.takeReadings()
            samplerCostUs += readings.reduce(0) { $0 + $1.sample.collectUs }
            samples += readings.count
            guard let record = aggregator.window(
                index: index, startS: Double(windowStart - origin) / 1e9, endS: Double(windowFinished - origin) / 1e9,
                latenciesUs: latencies, samples: readings.map(\.sample), power: readings.map(\.powerW),
                powerUnavailable: telemetry.powerUnavailable)
            else { break }
            try writer.write(record)
            windows.append(record)
            histogram.record(latencies)
            progress?.window(record, totalS: configuration.durationS)
            windowStart = windowFinished
            index += 1
        }

        let signal = stopFlag.raisedBySignal.map(RunEndRecord.signalName)
        let summary = SoakSummary.record(windows: windows, histogram: histogram, context: SoakSummary.Context(
            workload: workload.description, durationS: configuration.durationS, windowS: configuration.windowS,
            ratePerS: configuration.ratePerS, threads: configuration.threads, cpus: configuration.cpus,
            cluster: configuration.cluster, board: configuration.board, cooldownWaitS: cooldownWaitS,
            startTempC: startTempC, signal: signal))
        try writer.write(summary)
        if let throttled = summary.timeToThrottleS {
            warnings.append("throttled from \((throttled * 10).rounded() / 10) s (\(summary.throttleCause.joined(separator: ", ")))")
        }
        let end = RunEndRecord(
            layersCompleted: signal == nil ? 1 : 0, layersTotal: 1, comparisons: 0,
            durationS: Double(MonotonicClock.now() - started) / 1e9, interrupted: signal != nil, signal: signal,
            warnings: warnings, samplerCostUs: samples == 0 ? nil : samplerCostUs / Double(samples))
        try writer.write(end)
        return Outcome(windows: windows, summary: summary, end: end)
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

    /// Untimed inferences; with a rate, also checks that one inference fits in the period.
    private func warmUp() throws {
        var latencies: [Double] = []
        let count = configuration.ratePerS == nil ? configuration.warmup : Swift.max(configuration.warmup, 3)
        for _ in 0..<count where !stopFlag.isRaised {
            let before = MonotonicClock.now()
            workload.run()
            latencies.append(Double(MonotonicClock.now() - before) / 1e3)
        }
        if let rate = configuration.ratePerS, let median = LatencyStatistics(latencies)?.p50, median > 1e6 / rate {
            throw RateTooHighError(ratePerS: rate, inferenceUs: median)
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

import Telemetry

/// Times a piece of work according to a `MeasurementPolicy`, stopping early when asked.
public struct BenchmarkRunner: Sendable {
    /// The measurement policy applied to every benchmark.
    public let policy: MeasurementPolicy
    /// Raised by the signal watcher; checked between iterations.
    public let stopFlag: StopFlag

    /// A runner with the given policy and stop flag.
    public init(policy: MeasurementPolicy, stopFlag: StopFlag = StopFlag()) {
        self.policy = policy
        self.stopFlag = stopFlag
    }

    /// Iterations whose per-iteration figures are reserved before the first one runs: all of
    /// `iterations` up to 65,536, beyond that the arrays grow as iterations complete. Reserving a
    /// user's `min_iterations: 1000000000` up front took 8 GB per array before anything was timed
    /// (and, under ThreadSanitizer, ~20 s during which a stop went unanswered).
    public static func reservedIterations(_ iterations: Int) -> Int { min(iterations, 1 << 16) }

    /// Runs `body` for warm-up, then times each call in microseconds.
    /// - Returns: the per-iteration latencies; fewer than `minIterations` (maybe none) if a stop
    ///   was asked for.
    public func measure(_ body: () -> Void) -> [Double] {
        for _ in 0..<policy.warmupIterations where !stopFlag.isRaised {
            body()
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(Self.reservedIterations(policy.minIterations))
        var total = 0.0
        let minTimeUs = policy.minTimeS * 1e6
        while !stopFlag.isRaised, latencies.count < policy.maxIterations,
              latencies.count < policy.minIterations || total < minTimeUs {
            let start = MonotonicClock.now()
            body()
            let elapsed = Double(MonotonicClock.now() - start) / 1e3
            latencies.append(elapsed)
            total += elapsed
        }
        return latencies
    }
}

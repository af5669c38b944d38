import Telemetry

/// Measures several networks in turns rather than one after another, so that a burst of load
/// from other processes on a shared machine slows every network a little instead of one a lot.
///
/// Each turn runs one untimed iteration (the network's weights and buffers come back to the state
/// repeated inference keeps them in, after the other networks ran) and then `iterationsPerTurn`
/// timed ones. A network stops taking turns once it has `policy.minIterations` timed iterations
/// and `policy.minTimeS` of timed run time (or `policy.maxIterations`), companions only once every
/// other network has stopped too (`run(count:companions:iterate:progress:)`); the first turn of each
/// network is preceded by `policy.warmupIterations` untimed iterations.
public struct InterleavedRuns: Sendable {
    /// Warm-up, minimum iterations and time per network.
    public var policy: MeasurementPolicy
    /// Timed iterations per turn.
    public var iterationsPerTurn: Int
    /// Raised by the signal watcher; checked between iterations.
    public var stopFlag: StopFlag

    /// Turns of `iterationsPerTurn` timed iterations under `policy`.
    public init(policy: MeasurementPolicy, iterationsPerTurn: Int = 5, stopFlag: StopFlag) {
        self.policy = policy
        self.iterationsPerTurn = max(1, iterationsPerTurn)
        self.stopFlag = stopFlag
    }

    /// Runs `iterate(network, timed)` for networks `0..<count` in turns until each has enough
    /// timed iterations; `iterate` returns the iteration's latency in microseconds.
    /// - Parameters:
    ///   - companions: networks that, once they have enough, keep taking turns as long as any
    ///     other network still needs more (up to `policy.maxIterations`): references measured
    ///     beside the others, so that every round has them.
    ///   - progress: called after each round of turns with the networks finished so far.
    /// - Returns: per network, the latencies of its timed iterations.
    public func run(
        count: Int, companions: Set<Int> = [], iterate: (_ network: Int, _ timed: Bool) -> Double,
        progress: ((_ finished: Int) -> Void)? = nil
    ) -> [[Double]] {
        var latencies = [[Double]](repeating: [], count: count)
        var totals = [Double](repeating: 0, count: count)
        func hasEnough(_ network: Int) -> Bool {
            latencies[network].count >= policy.maxIterations
                || (latencies[network].count >= policy.minIterations && totals[network] >= policy.minTimeS * 1e6)
        }
        func othersNeedMore() -> Bool { (0..<count).contains { !companions.contains($0) && !hasEnough($0) } }
        func needsMore(_ network: Int) -> Bool {
            if companions.contains(network), latencies[network].count < policy.maxIterations, othersNeedMore() { return true }
            return !hasEnough(network)
        }
        for network in 0..<count {
            for _ in 0..<policy.warmupIterations where !stopFlag.isRaised { _ = iterate(network, false) }
        }
        var pending = Array(0..<count)
        while !pending.isEmpty, !stopFlag.isRaised {
            for network in pending where !stopFlag.isRaised {
                _ = iterate(network, false)
                for _ in 0..<iterationsPerTurn where !stopFlag.isRaised && needsMore(network) {
                    let latency = iterate(network, true)
                    latencies[network].append(latency)
                    totals[network] += latency
                }
            }
            pending.removeAll { !needsMore($0) }
            progress?(count - pending.count)
        }
        return latencies
    }
}

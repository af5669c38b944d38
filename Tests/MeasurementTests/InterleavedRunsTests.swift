@testable import Measurement
import Testing

@Suite struct InterleavedRunsTests {
    @Test func networksTakeTurnsUntilEachHasItsMinimumIterations() {
        let policy = MeasurementPolicy(warmupIterations: 2, minIterations: 7, minTimeS: 0, maxIterations: 100)
        var calls: [(network: Int, timed: Bool)] = []
        var rounds: [Int] = []
        let latencies = InterleavedRuns(policy: policy, iterationsPerTurn: 3, stopFlag: StopFlag()).run(count: 2, iterate: { network, timed in
            calls.append((network, timed))
            return Double(10 * network + 1)
        }, progress: { rounds.append($0) })
        #expect(latencies == [[Double](repeating: 1, count: 7), [Double](repeating: 11, count: 7)])
        // Warm-up 2 + 2 untimed, then turns of 1 untimed + up to 3 timed: 3 + 3 + 1 timed per network.
        #expect(calls.prefix(4).map(\.network) == [0, 0, 1, 1] && calls.prefix(4).allSatisfy { !$0.timed })
        #expect(calls.dropFirst(4).prefix(8).map(\.network) == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(calls.filter { !$0.timed }.count == 4 + 3 * 2)
        #expect(rounds == [0, 0, 2])
    }

    @Test func minimumTimeKeepsANetworkTakingTurnsAndMaximumStopsIt() {
        let policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1, minTimeS: 0.000_050, maxIterations: 4)
        // Network 0 takes 20 µs per run (3 runs reach 50 µs); network 1 takes 1 µs and stops at the maximum.
        let latencies = InterleavedRuns(policy: policy, iterationsPerTurn: 2, stopFlag: StopFlag())
            .run(count: 2, iterate: { network, _ in network == 0 ? 20 : 1 })
        #expect(latencies[0].count == 3 && latencies[1].count == 4)
    }

    @Test func companionsTakeTurnsAsLongAsAnyOtherNetworkNeedsMore() {
        let policy = MeasurementPolicy(warmupIterations: 0, minIterations: 2, minTimeS: 0.000_100, maxIterations: 1000)
        // Network 0 (a companion) and 1 run 100 µs: done after one turn of 2. Network 2 runs 10 µs:
        // it needs 10 runs, 5 turns of 2; the companion keeps it company, network 1 does not.
        var turns: [Int] = []
        let latencies = InterleavedRuns(policy: policy, iterationsPerTurn: 2, stopFlag: StopFlag())
            .run(count: 3, companions: [0], iterate: { network, timed in
                if !timed { turns.append(network) }
                return network == 2 ? 10 : 100
            })
        #expect(latencies.map(\.count) == [10, 2, 10])
        #expect(turns == [0, 1, 2, 0, 2, 0, 2, 0, 2, 0, 2])
    }

    @Test func aRaisedStopFlagEndsTheTurns() {
        let stop = StopFlag()
        let policy = MeasurementPolicy(warmupIterations: 0, minIterations: 1000, minTimeS: 0, maxIterations: 1000)
        var timedCalls = 0
        let latencies = InterleavedRuns(policy: policy, iterationsPerTurn: 5, stopFlag: stop).run(count: 3, iterate: { _, timed in
            if timed { timedCalls += 1 }
            if timedCalls == 12 { stop.raise(signal: 15) }
            return 1
        })
        #expect(latencies.map(\.count).reduce(0, +) == 12)
    }
}

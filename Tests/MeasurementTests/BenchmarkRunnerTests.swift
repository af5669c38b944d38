import Glibc
@testable import Measurement
import Testing

@Suite(.timeLimit(.minutes(3))) struct BenchmarkRunnerTests {
    @Test func warmsUpThenMeetsMinimumIterations() {
        var calls = 0
        let runner = BenchmarkRunner(policy: MeasurementPolicy(warmupIterations: 3, minIterations: 7, minTimeS: 0))
        let latencies = runner.measure { calls += 1 }
        #expect(latencies.count == 7)
        #expect(calls == 10)
        #expect(latencies.allSatisfy { $0 >= 0 })
    }

    @Test func keepsIteratingUntilMinimumTime() {
        let runner = BenchmarkRunner(policy: MeasurementPolicy(warmupIterations: 0, minIterations: 1, minTimeS: 0.02))
        let latencies = runner.measure { usleep(1000) }
        // It stops at the first iteration that brings the total to the minimum time, not before
        // and not after, however long one iteration took on a loaded machine.
        #expect(latencies.reduce(0, +) >= 20_000)
        #expect(latencies.dropLast().reduce(0, +) < 20_000)
    }

    @Test func maximumIterationsBoundsFastWork() {
        let runner = BenchmarkRunner(
            policy: MeasurementPolicy(warmupIterations: 0, minIterations: 1, minTimeS: 60, maxIterations: 50))
        #expect(runner.measure {}.count == 50)
    }

    @Test func raisedStopFlagEndsMeasurementEarly() {
        let flag = StopFlag()
        let runner = BenchmarkRunner(policy: MeasurementPolicy(warmupIterations: 0, minIterations: 1000, minTimeS: 0), stopFlag: flag)
        var calls = 0
        let latencies = runner.measure {
            calls += 1
            if calls == 5 { flag.raise(signal: 2) }
        }
        #expect(latencies.count == 5)
        #expect(flag.raisedBySignal == 2)
    }
}

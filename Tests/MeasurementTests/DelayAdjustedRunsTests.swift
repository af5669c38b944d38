import Foundation
import Measurement
import Testing

/// A run's latency less the time the process waited for a CPU, from given numbers (no timing is
/// asserted).
@Suite struct DelayAdjustedRunsTests {
    @Test func theWaitIsTakenOffEachRunAndTheUndisturbedOnesCounted() {
        var runs = DelayAdjustedRuns()
        // 5% of 1000 µs is 50 µs: the first two are undisturbed, the others waited longer.
        for (latency, delay) in [(1000.0, 0.0), (1000, 50), (1000, 51), (9000, 8000), (100, 200)] {
            runs.append(latency: latency, delay: delay)
        }
        #expect(runs.latencies == [1000, 1000, 1000, 9000, 100] && runs.delays == [0, 50, 51, 8000, 200])
        // A run that waited longer than it took (the readings bracket the clock) is left out.
        #expect(runs.adjusted == [1000, 950, 949, 1000])
        #expect(runs.undisturbedCount == 2)
        var hopeless = DelayAdjustedRuns()
        hopeless.append(latency: 100, delay: 100)
        #expect(hopeless.adjusted == [100])
    }

    @Test func theProcessWaitForACPUIsReadPerThread() throws {
        // Linux reports schedstat (CONFIG_SCHED_INFO) on every kernel edgeprobe runs on.
        let delay = try #require(SchedulingDelay())
        let first = delay.reading()
        #expect(first.contains { $0 != nil })
        #expect(SchedulingDelay.microseconds(from: first, to: delay.reading()) >= 0)
    }

    @Test func onlyThreadsReadBothTimesCount() {
        // 3 µs and 2 µs waited: the run was delayed by the longer; a thread that exited, one first
        // read late and a counter that went back (not the same thread) count nothing.
        let start: [UInt64?] = [1_000, 5_000, 7_000, nil, 9_000]
        let end: [UInt64?] = [4_000, 7_000, nil, 80_000, 1_000]
        #expect(SchedulingDelay.microseconds(from: start, to: end) == 3)
    }
}

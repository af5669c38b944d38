import Measurement
@testable import NAS
import Testing

/// The speed trace `lut --check` corrects each architecture by, on given runs: no timing is
/// measured or asserted, every latency and start time is a fixed number.
@Suite struct SpeedTraceTests {
    /// Calibration runs of `networks` networks every 10 ms from 0 to 2 s, at `before` times their
    /// table medians until 1 s and `after` from then on (a build starting mid-check).
    private func step(networks: Int = 3, before: Double, after: Double) -> [SpeedTrace.Point] {
        stride(from: 0.0, to: 2_000_000, by: 10_000).enumerated().map { index, time in
            SpeedTrace.Point(timeUs: time, network: index % networks, ratio: time < 1_000_000 ? before : after)
        }
    }

    @Test func theFactorFollowsTheCalibrationRunsAroundEachMoment() throws {
        let trace = SpeedTrace(points: step(before: 1.0, after: 1.5), windowUs: 300_000)
        #expect(trace.factor(atUs: 500_000) == 1.0)
        #expect(trace.factor(atUs: 1_600_000) == 1.5)
        // Right at the step the window holds both: the median of the networks' medians lies between.
        let atStep = try #require(trace.factor(atUs: 1_000_000))
        #expect(atStep >= 1.0 && atStep <= 1.5)
        // No calibration run within the window: no factor.
        #expect(trace.factor(atUs: 2_400_000) == nil)
        #expect(SpeedTrace(points: [], windowUs: 300_000).factor(atUs: 0) == nil)
    }

    @Test func eachCalibrationNetworkCountsOnce() {
        // Network 0 ran ten times at 2x its table median, networks 1 and 2 once each at 1x: per
        // network 2, 1, 1; median 1 (the median of the twelve runs would be 2).
        let points = (0..<10).map { SpeedTrace.Point(timeUs: Double($0), network: 0, ratio: 2) }
            + [SpeedTrace.Point(timeUs: 5, network: 1, ratio: 1), SpeedTrace.Point(timeUs: 6, network: 2, ratio: 1)]
        #expect(SpeedTrace(points: points, windowUs: 100).factor(atUs: 5) == 1)
    }

    @Test func runsAreNormalizedByTheFactorAtTheirOwnStart() {
        let trace = SpeedTrace(points: step(before: 1.0, after: 1.5), windowUs: 300_000)
        // A network of 2 ms on the table's machine: 2 ms before the step, 3 ms after.
        let runs = [(startUs: 100_000.0, latencyUs: 2_000.0), (200_000, 2_000), (1_500_000, 3_000), (1_700_000, 3_000), (1_800_000, 3_000)]
        #expect(trace.normalized(runs, fallback: 9) == [2_000, 2_000, 2_000, 2_000, 2_000])
        // Its median as measured (3 ms) over the median normalized (2 ms).
        #expect(trace.correction(for: runs, fallback: 9) == 1.5)
        // A run with no calibration run near it takes the fallback.
        #expect(trace.normalized([(startUs: 5_000_000, latencyUs: 2_000)], fallback: 2) == [1_000])
        #expect(trace.correction(for: [], fallback: 1.2) == 1.2)
    }

    @Test func calibrationNetworksAreSpreadAmongTheSamples() {
        // 20 samples (0-19), 6 networks measured again (20-25): each of the 6 before a few samples.
        let order = LookupTableCheck.turnOrder(samples: 20, again: 6)
        #expect(order.sorted() == Array(0..<26))
        #expect(order.enumerated().filter { $0.element >= 20 }.map(\.offset) == [0, 5, 9, 13, 18, 22])
        // Never more than 4 samples in a row.
        var run = 0
        for index in order {
            run = index < 20 ? run + 1 : 0
            #expect(run <= 4)
        }
        #expect(LookupTableCheck.turnOrder(samples: 3, again: 0) == [0, 1, 2])
        #expect(LookupTableCheck.turnOrder(samples: 1, again: 3) == [1, 0, 2, 3])
    }
}

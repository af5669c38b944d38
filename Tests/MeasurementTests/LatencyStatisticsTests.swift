@testable import Measurement
import Testing

@Suite struct LatencyStatisticsTests {
    @Test func matchesHandComputedFigures() throws {
        let statistics = try #require(LatencyStatistics([4, 1, 3, 2]))
        #expect(statistics.n == 4)
        #expect(statistics.min == 1)
        #expect(statistics.max == 4)
        #expect(statistics.mean == 2.5)
        // Sample variance of 1...4 is 5/3.
        #expect(abs(statistics.std - (5.0 / 3.0).squareRoot()) < 1e-12)
        #expect(statistics.p50 == 2.5)
        #expect(abs(statistics.p90 - 3.7) < 1e-12)
        #expect(abs(statistics.p99 - 3.97) < 1e-12)
        #expect(abs(statistics.cv - statistics.std / 2.5) < 1e-12)
    }

    @Test func singleValueHasNoSpread() throws {
        let statistics = try #require(LatencyStatistics([7]))
        #expect(statistics.std == 0)
        #expect(statistics.p99 == 7)
        #expect(statistics.cv == 0)
    }

    @Test func emptyInputHasNoStatistics() {
        #expect(LatencyStatistics([]) == nil)
    }
}

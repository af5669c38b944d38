import Testing
@testable import Soak

@Suite struct LatencyHistogramTests {
    @Test func percentilesWithinABinOfTheExactOnes() throws {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<20_000).map { _ in Double.random(in: 50...5000, using: &generator) }
        var histogram = LatencyHistogram()
        histogram.record(Array(values.prefix(7000)))
        histogram.record(Array(values.dropFirst(7000)))
        #expect(histogram.count == 20_000)
        let sorted = values.sorted()
        for fraction in [0.0, 0.5, 0.9, 0.99, 1.0] {
            let exact = sorted[Int((fraction * Double(sorted.count - 1)).rounded(.down))]
            let estimate = try #require(histogram.percentile(fraction))
            #expect(abs(estimate - exact) / exact <= LatencyHistogram.binRatio - 1, "p\(fraction * 100)")
        }
    }

    @Test func emptyHasNoPercentile() {
        #expect(LatencyHistogram().percentile(0.9) == nil)
    }
}

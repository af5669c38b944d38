import Measurement
import Testing
@testable import Soak

@Suite struct SoakProgressTests {
    private func window(endS: Double, hottestC: Double?, throttled: Bool?, causes: [String] = []) -> WindowRecord {
        WindowRecord(
            index: 3, startS: endS - 10, endS: endS, engine: "xnnpack", inferences: 3, latencyUs: LatencyStatistics([8000, 8210, 9000])!,
            cpuBusyPct: 100, hottestC: hottestC, chipMaxC: [:],
            frequencyHz: ["0": .init(min: 600_000_000, max: 1_500_000_000), "1": .init(min: 600_000_000, max: 1_200_000_000)],
            freqCapped: nil, throttled: throttled, throttleCause: causes, powerW: nil, energyPerInferenceJ: nil,
            p50RatioEdgeprobeToXnnpack: nil, unavailable: [:])
    }

    @Test func oneLinePerWindowWithElapsedP50TemperatureFrequencyAndThrottling() {
        #expect(SoakProgress.line(window(endS: 40.2, hottestC: 62.34, throttled: false), totalS: 600)
            == "[ 40s/600s] p50 8.21 ms  62.3 C  1500 MHz  throttled: no")
        #expect(SoakProgress.line(window(endS: 600, hottestC: nil, throttled: true, causes: ["temp_limit"]), totalS: 600)
            == "[600s/600s] p50 8.21 ms  - C  1500 MHz  throttled: yes (temp_limit)")
        #expect(SoakProgress.line(window(endS: 10, hottestC: 50, throttled: nil), totalS: 600).hasSuffix("throttled: ?"))
    }

    @Test func withTwoEnginesTheLineNamesTheEngineAndTheRatio() {
        var record = window(endS: 40.2, hottestC: 62.34, throttled: false)
        record.setRatio(0.914)
        #expect(SoakProgress.line(record, totalS: 600, engines: 2)
            == "[ 40s/600s] xnnpack p50 8.21 ms (edgeprobe/xnnpack 0.91x)  62.3 C  1500 MHz  throttled: no")
    }

    @Test func durationWindowAndRateProblemsNameTheOption() {
        #expect(SoakConfiguration.problem(durationS: 600, windowS: 10, ratePerS: 30) == nil)
        #expect(SoakConfiguration.problem(durationS: 0, windowS: 10, ratePerS: nil)?.hasPrefix("--duration") == true)
        #expect(SoakConfiguration.problem(durationS: 600, windowS: -1, ratePerS: nil)?.hasPrefix("--window") == true)
        #expect(SoakConfiguration.problem(durationS: 5, windowS: 10, ratePerS: nil)?.hasPrefix("--window") == true)
        #expect(SoakConfiguration.problem(durationS: 600, windowS: 10, ratePerS: 0)?.hasPrefix("--rate") == true)
        #expect(SoakConfiguration.problem(durationS: 600, windowS: 10, ratePerS: 0.05)?.hasPrefix("--rate") == true)
        #expect(SoakConfiguration.problem(durationS: .nan, windowS: 10, ratePerS: nil)?.hasPrefix("--duration") == true)
    }
}

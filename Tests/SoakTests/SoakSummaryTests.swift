import Measurement
import Testing
@testable import Soak

@Suite struct SoakSummaryTests {
    /// A window with the given p50 (every inference the same), temperature, throttling and power.
    private func window(
        _ index: Int, p50: Double, lengthS: Double = 10, inferences: Int = 100, hottestC: Double? = nil,
        throttled: Bool? = false, causes: [String] = [], powerW: Double? = nil
    ) -> WindowRecord {
        WindowRecord(
            index: index, startS: Double(index) * lengthS, endS: Double(index + 1) * lengthS, engine: "edgeprobe", inferences: inferences,
            latencyUs: LatencyStatistics(Array(repeating: p50, count: inferences))!, cpuBusyPct: 100,
            hottestC: hottestC, chipMaxC: [:], frequencyHz: [:], freqCapped: nil, throttled: throttled,
            throttleCause: causes, powerW: powerW, energyPerInferenceJ: powerW.map { $0 * lengthS / Double(inferences) },
            p50RatioEdgeprobeToXnnpack: nil, unavailable: powerW == nil ? ["power_w": "no power sensor"] : [:])
    }

    private func context(signal: String? = nil, startTempC: Double? = 45) -> SoakSummary.Context {
        SoakSummary.Context(
            workload: SoakWorkloadDescription(kind: "arch", name: "tiny"), durationS: 90, windowS: 10, ratePerS: nil,
            threads: 1, cpus: nil, cluster: nil, board: "generic", cooldownWaitS: nil, startTempC: startTempC, signal: signal)
    }

    private func histogram(_ windows: [WindowRecord]) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for window in windows { histogram.record(Array(repeating: window.latencyUs.p50, count: window.inferences)) }
        return histogram
    }

    @Test func burstIsTheFirstWindowAndSustainedTheMedianOfTheLastThird() {
        // Nine windows: the last third is windows 6, 7, 8 with p50s 130, 150, 140 → median 140.
        let p50s: [Double] = [100, 101, 103, 110, 120, 125, 130, 150, 140]
        let windows = p50s.enumerated().map { window($0.offset, p50: $0.element) }
        let summary = SoakSummary.record(windows: windows, histogram: histogram(windows), context: context(), engine: .edgeprobe)
        #expect(summary.burstP50Us == 100)
        #expect(summary.sustainedP50Us == 140)
        #expect(summary.sustainedOverBurst == 1.4)
        #expect(summary.windows == 9)
        #expect(summary.inferences == 900)
        #expect(summary.interrupted == false)
    }

    @Test func sustainedOfFewWindowsUsesAtLeastOne() {
        #expect(SoakSummary.sustainedP50([window(0, p50: 10), window(1, p50: 30)]) == 30)
        #expect(SoakSummary.sustainedP50([window(0, p50: 10)]) == 10)
        // Six windows: the last two, mean of the middle pair.
        let six = [10.0, 10, 10, 10, 20, 30].enumerated().map { window($0.offset, p50: $0.element) }
        #expect(SoakSummary.sustainedP50(six) == 25)
    }

    @Test func timeToThrottleIsTheStartOfTheFirstThrottledWindow() {
        let windows = [
            window(0, p50: 10), window(1, p50: 10),
            window(2, p50: 12, throttled: true, causes: ["pi_throttled_now"]),
            window(3, p50: 12, throttled: true, causes: ["temp_limit"]),
        ]
        let summary = SoakSummary.record(windows: windows, histogram: histogram(windows), context: context(), engine: .edgeprobe)
        #expect(summary.timeToThrottleS == 20)
        #expect(summary.throttleCause == ["pi_throttled_now"])
        let never = SoakSummary.record(windows: Array(windows.prefix(2)), histogram: histogram(windows), context: context(), engine: .edgeprobe)
        #expect(never.timeToThrottleS == nil)
        #expect(never.unavailable["time_to_throttle_s"] == "no window was throttled")
    }

    @Test func heatingRateIsTheSlopeOverTheFirstMinutes() throws {
        // 1 °C every 10 s window for three minutes (6 °C/min), then flat: the fit ignores the plateau.
        let windows = (0..<30).map { index in
            window(index, p50: 10, hottestC: index < 18 ? 40 + Double(index) : 57)
        }
        let summary = SoakSummary.record(windows: windows, histogram: histogram(windows), context: context(), engine: .edgeprobe)
        let rate = try #require(summary.heatingRateCPerMin)
        #expect(abs(rate - 6) < 1e-9)
        #expect(summary.maxTempC == 57)
        #expect(summary.startTempC == 45)
        #expect(SoakSummary.heatingRate([window(0, p50: 1, hottestC: 50)]) == nil)
    }

    @Test func mlperfSingleStreamNeedsBothQueriesAndTenMinutes() {
        let short = (0..<9).map { window($0, p50: 10, inferences: 200) }
        let long = (0..<60).map { window($0, p50: 10, inferences: 10) }
        let enough = (0..<60).map { window($0, p50: 10, inferences: 20) }
        let shortSummary = SoakSummary.record(windows: short, histogram: histogram(short), context: context(), engine: .edgeprobe)
        #expect(shortSummary.mlperfSingleStream == SoakRecord.SingleStreamCheck(queriesOk: true, durationOk: false))
        let longSummary = SoakSummary.record(windows: long, histogram: histogram(long), context: context(), engine: .edgeprobe)
        #expect(longSummary.mlperfSingleStream == SoakRecord.SingleStreamCheck(queriesOk: false, durationOk: true))
        let enoughSummary = SoakSummary.record(windows: enough, histogram: histogram(enough), context: context(), engine: .edgeprobe)
        #expect(enoughSummary.mlperfSingleStream == SoakRecord.SingleStreamCheck(queriesOk: true, durationOk: true))
    }

    @Test func p90OverTheWholeRunNotPerWindow() throws {
        // 90 fast windows' worth and 10 slow ones: the run's p90 sits between them.
        let windows = (0..<10).map { window($0, p50: $0 == 9 ? 1000 : 100, inferences: 100) }
        let summary = SoakSummary.record(windows: windows, histogram: histogram(windows), context: context(), engine: .edgeprobe)
        let p90 = try #require(summary.p90Us)
        #expect(abs(p90 - 100) / 100 < 0.001)
        #expect(summary.inferences == 1000)
    }

    @Test func energyOnlyWhenEveryWindowHasPower() throws {
        let powered = [window(0, p50: 10, inferences: 100, powerW: 5), window(1, p50: 10, inferences: 300, powerW: 7)]
        let summary = SoakSummary.record(windows: powered, histogram: histogram(powered), context: context(), engine: .edgeprobe)
        // (5 W + 7 W) × 10 s over 400 inferences.
        #expect(abs(try #require(summary.energyPerInferenceJ) - 0.3) < 1e-12)
        let unpowered = [window(0, p50: 10)]
        let none = SoakSummary.record(windows: unpowered, histogram: histogram(unpowered), context: context(), engine: .edgeprobe)
        #expect(none.energyPerInferenceJ == nil)
        #expect(none.unavailable["energy_per_inference_j"] == "no power sensor")
    }

    @Test func eachEnginesSummaryNamesItAndTakesTheSustainedRatio() {
        let windows = [window(0, p50: 10), window(1, p50: 12)]
        var summary = SoakSummary.record(windows: windows, histogram: histogram(windows), context: context(), engine: .xnnpack)
        #expect(summary.engine == "xnnpack")
        #expect(summary.sustainedP50RatioEdgeprobeToXnnpack == nil)
        #expect(summary.unavailable["sustained_p50_ratio_edgeprobe_to_xnnpack"] == "one engine measured (--engine both gives it)")
        summary.setSustainedRatio(0.75, engines: 2)
        #expect(summary.sustainedP50RatioEdgeprobeToXnnpack == 0.75)
        #expect(summary.unavailable["sustained_p50_ratio_edgeprobe_to_xnnpack"] == nil)
        // Two engines but no window finished (a stop during the first): no ratio, and not for lack of an engine.
        summary.setSustainedRatio(nil, engines: 2)
        #expect(summary.unavailable["sustained_p50_ratio_edgeprobe_to_xnnpack"] == "no window finished")
    }

    @Test func interruptedBeforeAnyWindowIsAllNullsWithReasons() {
        let summary = SoakSummary.record(windows: [], histogram: LatencyHistogram(), context: context(signal: "SIGINT", startTempC: nil), engine: .edgeprobe)
        #expect(summary.interrupted)
        #expect(summary.signal == "SIGINT")
        #expect(summary.burstP50Us == nil && summary.sustainedP50Us == nil && summary.sustainedOverBurst == nil)
        #expect(summary.p90Us == nil)
        for key in ["burst_p50_us", "sustained_p50_us", "p90_us", "start_temp_c", "max_temp_c", "heating_rate_c_per_min", "energy_per_inference_j"] {
            #expect(summary.unavailable[key] != nil, "\(key)")
        }
    }
}

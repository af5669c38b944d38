import MetricsExposition
import Testing

/// Suite results as the agent learns them from `edgeprobe bench` lines.
@Suite struct SuiteResultsTests {
    private static let lines = [
        #"{"schema":"edgeprobe/1","type":"run_start","ts":"2026-12-05T10:00:00.000Z","suite":"tiny","seq":0}"#,
        #"{"schema":"edgeprobe/1","type":"bench","ts":"2026-12-05T10:00:01.250Z","name":"tiny-conv","gflops":3.5,"latency_us":{"n":20,"p50":120.5,"p90":150,"p99":170,"min":100,"max":180,"mean":125,"std":5,"cv":0.04}}"#,
        #"{"schema":"edgeprobe/1","type":"bench","ts":"2026-12-05T10:00:02.000Z","name":"tiny-depthwise","gflops":1.25,"latency_us":{"n":20,"p50":40,"p90":44,"p99":50,"min":39,"max":51,"mean":41,"std":1,"cv":0.02}}"#,
        #"{"schema":"edgeprobe/1","type":"comparison","ts":"2026-12-05T10:00:02.500Z","name":"tiny-pair","speedup_rate":3.0125,"theoretical_ratio":8}"#,
        "not json at all",
        #"{"schema":"edgeprobe/1","type":"run_end","ts":"2026-12-05T10:00:03.000Z","interrupted":false}"#,
    ]

    @Test func benchComparisonAndRunEndGiveTheLastResults() throws {
        var results = SuiteResults()
        for line in Self.lines { results.observe(line: Array(line.utf8), suite: "tiny") }
        let conv = try #require(results.layers[SuiteResults.Key(suite: "tiny", name: "tiny-conv")])
        #expect(conv.p50S == 120.5e-6)
        #expect(conv.p90S == 150e-6)
        #expect(conv.gflops == 3.5)
        #expect(conv.timestampS == 1_796_464_801.25)
        let pair = try #require(results.pairs[SuiteResults.Key(suite: "tiny", name: "tiny-pair")])
        #expect(pair.speedupRate == 3.0125)
        #expect(pair.theoreticalRatio == 8)
        #expect(results.lastSuccessS["tiny"] == 1_796_464_803)
    }

    @Test func anInterruptedRunIsNotASuccess() {
        var results = SuiteResults()
        results.observe(line: Array(Self.lines[1].utf8), suite: "tiny")
        results.observe(line: Array(#"{"type":"run_end","ts":"2026-12-05T10:00:03.000Z","interrupted":true}"#.utf8), suite: "tiny")
        #expect(results.lastSuccessS.isEmpty)
        #expect(results.layers.count == 1)
    }

    @Test func timestampsOutsideTheRecordFormatAreRefused() {
        #expect(RecordTimestamp.epochSeconds("1970-01-01T00:00:00.000Z") == 0)
        #expect(RecordTimestamp.epochSeconds("2026-12-05T10:00:00Z") == nil)
        #expect(RecordTimestamp.epochSeconds("2026-13-05T10:00:00.000Z") == nil)
        #expect(RecordTimestamp.epochSeconds("2026-12-05 10:00:00.000Z") == nil)
    }
}

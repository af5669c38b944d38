import Agent
import Reports
import Testing

/// What the agent counts for its metrics: postponements by reason, runs by outcome, reloads,
/// suite lines, records per output; and that the exposition carries them.
@Suite struct AgentMetricsTests {
    private static let configuration = AgentConfiguration(
        path: "agent.yaml", samplingIntervalS: 1, board: "generic",
        outputs: .init(standardOutput: false, file: nil), schedule: [])

    private func text(_ metrics: AgentMetrics) -> String {
        String(decoding: metrics.render(), as: UTF8.self)
    }

    @Test func countsPostponementsByReasonRunsByOutcomeAndReloads() {
        let output = AgentOutput(standardOutput: DiscardingSink(), file: nil)
        let metrics = AgentMetrics(configuration: Self.configuration, edgeprobeVersion: "9.9.9", throttleLimitC: nil, output: output)
        let postpone = { (busy: Double?, temperature: Double?) in
            metrics.postponed(AgentPostponeRecord(
                suite: "conv-default", reason: "", cpuBusyPct: busy, maxCpuBusyPct: 25, tempC: temperature, maxTempC: 70,
                retryInS: 300, unavailable: [:]))
        }
        postpone(40, 60)   // busy
        postpone(40, 75)   // busy and hot: both counted
        postpone(nil, 50)  // utilization unknown
        metrics.suiteEnded("conv-default", outcome: "completed")
        metrics.suiteEnded("conv-default", outcome: "completed")
        metrics.suiteEnded("conv-default", outcome: "interrupted")
        metrics.reloadFailed()
        var reloaded = Self.configuration
        reloaded.board = "raspberry-pi-4"
        metrics.reloaded(reloaded, throttleLimitC: 80)
        metrics.observe(suiteLine: Array(#"{"type":"bench","ts":"2026-12-05T10:00:01.250Z","name":"conv","gflops":2,"latency_us":{"p50":1000,"p90":2000}}"#.utf8), suite: "conv-default")
        output.write(line: Array("{}\n".utf8))

        let lines = Set(text(metrics).split(separator: "\n").map(String.init))
        for expected in [
            #"edgeprobe_suite_postponements_total{suite="conv-default",reason="cpu_busy"} 2"#,
            #"edgeprobe_suite_postponements_total{suite="conv-default",reason="too_hot"} 1"#,
            #"edgeprobe_suite_postponements_total{suite="conv-default",reason="cpu_unknown"} 1"#,
            #"edgeprobe_suite_runs_total{suite="conv-default",outcome="completed"} 2"#,
            #"edgeprobe_suite_runs_total{suite="conv-default",outcome="interrupted"} 1"#,
            "edgeprobe_config_reloads_total 1",
            "edgeprobe_config_reload_failures_total 1",
            #"edgeprobe_build_info{version="9.9.9",board="raspberry-pi-4"} 1"#,
            "edgeprobe_board_throttle_temperature_celsius 80",
            #"edgeprobe_suite_layer_latency_p50_seconds{suite="conv-default",layer="conv"} 0.001"#,
            #"edgeprobe_records_written_total{output="stdout"} 1"#,
            #"edgeprobe_records_dropped_total{output="stdout"} 0"#,
            "edgeprobe_samples_total 0",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
    }
}

import Foundation
import Glibc
import TestSupport
import Testing

/// The agent's metrics end to end, with the real components a user runs: the agent samples a fake
/// hwmon in a private mount namespace (as LibsensorsNamespaceTests does) and runs a tiny
/// scheduled suite and soak; Debian's Prometheus scrapes its `/metrics` every second, and Debian's
/// node_exporter serves its textfile through a link, as `Deploy/install.sh --metrics-textfile`
/// lays it out. Through Prometheus' HTTP API (PromQL), every series checked
/// must carry exactly the value the agent's JSON lines carry.
@Suite(.serialized) struct MetricsPrometheusTests {
    private static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// One fake chip, then the agent in the same namespace (`exec`, so its pid is this process's).
    private static let namespaceScript = #"""
        set -e
        mount -t tmpfs edgeprobe-test /sys/class
        mkdir -p /sys/class/hwmon/hwmon0
        h=/sys/class/hwmon/hwmon0
        echo cpu_thermal > $h/name; echo 45678 > $h/temp1_input; echo 95000 > $h/temp1_crit
        echo CPU > $h/temp1_label; echo 1234 > $h/fan1_input
        exec "$1" agent --config "$2" > "$3" 2> "$4"
        """#

    private static let tinySuite = """
        name: tiny
        layers:
          - {name: tiny-conv, op: conv, cin: 8, h: 16, w: 16, cout: 8, k: 3}
          - {name: tiny-depthwise, op: depthwise, cin: 8, h: 16, w: 16, k: 3}
        pairs:
          - {name: tiny-pair, baseline: tiny-conv, candidate: tiny-depthwise}
        """

    private static let board = """
        name: metrics-test
        description: One thread, a throttle limit the metrics must export
        threads: 1
        cooldown_timeout_s: 120
        throttle_temp_c: 77.5
        """

    /// Whether Prometheus' value is the JSON line's figure. Both the agent (strtod) and
    /// Prometheus (Go's ParseFloat) read numbers correctly rounded, but the reference here,
    /// Foundation's JSONSerialization on Linux, is not: on 200 000 random 17-digit latencies it
    /// was off by up to 6 units in the last place (p90, an interpolated percentile, has 17
    /// digits; under load one was off by more than the 4 allowed before). Allow 16.
    static func same(_ exported: Double?, _ written: Double?) -> Bool {
        guard let exported, let written else { return false }
        return abs(exported - written) <= 16 * written.ulp
    }

    @Test(.enabled("unshare -m is not permitted here (needs root); CI runs this test") { await MountNamespace.isPermitted() }, .timeLimit(.minutes(3)))
    func prometheusAndNodeExporterCarryTheValuesOfTheJSONLines() async throws {
        for tool in ["/usr/bin/prometheus", "/usr/bin/prometheus-node-exporter", "/usr/bin/promtool"] {
            try #require(FileManager.default.isExecutableFile(atPath: tool), "\(tool) is missing: run `make metrics-deps`")
        }
        let temporary = TemporaryDirectory(prefix: "agent-metrics")
        let directory = temporary.path
        // node_exporter's directory holds a link to the file the agent writes in its own (/run/edgeprobe under the drop-in).
        let textfiles = directory + "/textfile", run = directory + "/run"
        try FileManager.default.createDirectory(atPath: textfiles, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: textfiles + "/edgeprobe.prom", withDestinationPath: run + "/edgeprobe.prom")
        _ = FileManager.default.createFile(atPath: directory + "/tiny.yaml", contents: Data(Self.tinySuite.utf8))
        _ = FileManager.default.createFile(atPath: directory + "/board.yaml", contents: Data(Self.board.utf8))
        let (agentPort, nodePort, prometheusPort) = (FreeLoopbackPort.free(), FreeLoopbackPort.free(), FreeLoopbackPort.free())
        AgentProcess.writeConfig("""
            sampling: {interval: 1s}
            board: \(directory)/board.yaml
            schedule:
              - {suite: \(directory)/tiny.yaml, every: 1h, max_cpu_busy_pct: 100, max_temp_c: 150,
                 min_time: 0s, warmup: 1, min_iterations: 3}
              - {soak: tiny, every: 1h, duration: 600ms, window: 200ms, warmup: 1, max_cpu_busy_pct: 100, max_temp_c: 150}
            metrics:
              listen: 127.0.0.1:\(agentPort)
              textfile: \(run)/edgeprobe.prom
            """, in: directory)
        _ = FileManager.default.createFile(atPath: directory + "/prometheus.yml", contents: Data("""
            global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
            rule_files: [\(Self.repository)/Deploy/prometheus/edgeprobe-rules.yml]
            scrape_configs:
              - job_name: edgeprobe
                static_configs: [{targets: ["127.0.0.1:\(agentPort)"]}]
              - job_name: node
                static_configs: [{targets: ["127.0.0.1:\(nodePort)"]}]
            """.utf8))

        let nodeExporter = try LoopbackServerProcess(
            executable: "/usr/bin/prometheus-node-exporter",
            arguments: ["--web.listen-address=127.0.0.1:\(nodePort)", "--collector.disable-defaults", "--collector.textfile",
                        "--collector.textfile.directory=\(textfiles)"],
            port: nodePort, log: directory + "/node-exporter.log")
        defer { nodeExporter.stop() }
        let prometheus = try LoopbackServerProcess(
            executable: "/usr/bin/prometheus",
            arguments: ["--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/tsdb",
                        "--web.listen-address=127.0.0.1:\(prometheusPort)"],
            port: prometheusPort, log: directory + "/prometheus.log")
        defer { prometheus.stop() }

        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        agent.arguments = ["unshare", "-m", "sh", "-c", Self.namespaceScript, "metrics-test", AgentProcess.executable,
                           directory + "/agent.yaml", directory + "/stdout.jsonl", directory + "/stderr.txt"]
        try agent.run()
        defer { if agent.isRunning { kill(agent.processIdentifier, SIGKILL); agent.waitUntilExit() } }

        // The suite and the soak ran to their ends (two run_end records in the agent's output).
        let lines = { AgentProcess.lines(directory + "/stdout.jsonl").compactMap(JSONLines.object) }
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline, lines().filter({ $0["type"] as? String == "run_end" }).count < 2 {
            try #require(agent.isRunning, "the agent stopped: \(AgentProcess.lines(directory + "/stderr.txt"))")
            try await Task.sleep(for: .milliseconds(200))
        }
        let records = lines()
        let benches = records.filter { $0["type"] as? String == "bench" }
        let comparisons = records.filter { $0["type"] as? String == "comparison" }
        try #require(benches.count == 2 && comparisons.count == 1, "no complete suite run: \(records.compactMap { $0["type"] })")
        let soak = try #require(records.first { $0["type"] as? String == "soak" }, "no soak record: \(records.compactMap { $0["type"] })")
        let sample = try #require(records.last { $0["type"] as? String == "sample" && !(($0["temperatures"] as? [Any]) ?? []).isEmpty })
        let start = try #require(records.first { $0["type"] as? String == "agent_start" })

        // Prometheus has scraped both targets since the suite and the soak ended.
        let api = PrometheusAPI(port: prometheusPort)
        var scrapedAfterSuite = false
        while Date() < deadline, !scrapedAfterSuite {
            let agentRuns = await api.value(#"sum(edgeprobe_suite_runs_total{job="edgeprobe", outcome="completed"})"#)
            let nodeRuns = await api.value(#"sum(edgeprobe_suite_runs_total{job="node", outcome="completed"})"#)
            scrapedAfterSuite = agentRuns == 2 && nodeRuns == 2
            if !scrapedAfterSuite { try await Task.sleep(for: .milliseconds(500)) }
        }
        try #require(scrapedAfterSuite, "Prometheus never saw the finished suite; its log: \(AgentProcess.lines(directory + "/prometheus.log").suffix(5))")

        let temperature = try #require((sample["temperatures"] as? [[String: Any]])?.first)
        let fan = try #require((sample["fans"] as? [[String: Any]])?.first)
        let memory = try #require(sample["memory"] as? [String: Any])
        let timestamps = ISO8601DateFormatter()
        timestamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for job in ["edgeprobe", "node"] {
            let sensor = #"chip="\#(temperature["chip"] as! String)", sensor="\#(temperature["label"] as! String)""#
            #expect(Self.same(await api.value(#"edgeprobe_temperature_celsius{job="\#(job)", \#(sensor)}"#), temperature["input_c"] as? Double), "\(job)")
            #expect(Self.same(await api.value(#"edgeprobe_temperature_crit_celsius{job="\#(job)", \#(sensor)}"#), temperature["crit_c"] as? Double), "\(job)")
            let fanLabels = #"chip="\#(fan["chip"] as! String)", sensor="\#(fan["label"] as! String)""#
            #expect(Self.same(await api.value(#"edgeprobe_fan_speed_rpm{job="\#(job)", \#(fanLabels)}"#), fan["input_rpm"] as? Double), "\(job)")
            #expect(Self.same(await api.value(#"edgeprobe_memory_total_bytes{job="\#(job)"}"#), (memory["total_bytes"] as? NSNumber)?.doubleValue), "\(job)")
            #expect(Self.same(await api.value(#"edgeprobe_board_throttle_temperature_celsius{job="\#(job)"}"#), 77.5), "\(job)")
            let version = start["edgeprobe_version"] as! String
            #expect(Self.same(await api.value(#"edgeprobe_build_info{job="\#(job)", version="\#(version)", board="\#(directory)/board.yaml"}"#), 1), "\(job)")
            for bench in benches {
                let layer = #"job="\#(job)", suite="\#(directory)/tiny.yaml", layer="\#(bench["name"] as! String)""#
                let latency = try #require(bench["latency_us"] as? [String: Any])
                #expect(Self.same(await api.value("edgeprobe_suite_layer_latency_p50_seconds{\(layer)}"), (latency["p50"] as! Double) / 1e6), "\(job) \(layer)")
                #expect(Self.same(await api.value("edgeprobe_suite_layer_latency_p90_seconds{\(layer)}"), (latency["p90"] as! Double) / 1e6), "\(job) \(layer)")
                let gflops = await api.value("edgeprobe_suite_layer_gflops{\(layer)}")
                #expect(Self.same(gflops, (bench["gflops"] as? NSNumber)?.doubleValue), "\(job) \(layer): \(String(describing: gflops)) vs \(String(describing: bench["gflops"]))")
                let written = try #require(timestamps.date(from: bench["ts"] as! String)).timeIntervalSince1970
                let exported: Double = try #require(await api.value("edgeprobe_suite_layer_timestamp_seconds{\(layer)}"))
                #expect(Swift.abs(exported - written) < 0.0005, "\(job) \(layer): \(exported) vs \(written)")
            }
            let comparison = comparisons[0]
            let pair = #"job="\#(job)", suite="\#(directory)/tiny.yaml", pair="\#(comparison["name"] as! String)""#
            let speedup = await api.value("edgeprobe_suite_pair_speedup_ratio{\(pair)}")
            #expect(Self.same(speedup, (comparison["speedup_rate"] as? NSNumber)?.doubleValue), "\(job): \(String(describing: speedup)) vs \(String(describing: comparison["speedup_rate"]))")
            #expect(Self.same(await api.value("edgeprobe_suite_pair_theoretical_ratio{\(pair)}"), comparison["theoretical_ratio"] as? Double), "\(job)")
            let soakLabels = #"job="\#(job)", suite="tiny""#
            #expect(Self.same(await api.value("edgeprobe_soak_inferences{\(soakLabels)}"), (soak["inferences"] as? NSNumber)?.doubleValue), "\(job)")
            #expect(Self.same(await api.value("edgeprobe_soak_burst_latency_p50_seconds{\(soakLabels)}"),
                              (soak["burst_p50_us"] as? NSNumber).map { $0.doubleValue / 1e6 }), "\(job)")
            #expect(Self.same(await api.value("edgeprobe_soak_sustained_over_burst_ratio{\(soakLabels)}"),
                              (soak["sustained_over_burst"] as? NSNumber)?.doubleValue), "\(job)")
            #expect(Self.same(await api.value("edgeprobe_soak_max_temperature_celsius{\(soakLabels)}"), (soak["max_temp_c"] as? NSNumber)?.doubleValue), "\(job)")
            let samplesSeen = try #require(await api.value(#"edgeprobe_samples_total{job="\#(job)"}"#))
            #expect(samplesSeen >= 2 && samplesSeen <= Double(lines().filter { $0["type"] as? String == "sample" }.count), "\(job)")
        }
        #expect(await api.value(#"up{job="edgeprobe"}"#) == 1)

        // promtool reads the exposition the agent wrote as Prometheus does, names and units linted.
        let check = try await TestProcess.run(
            "/bin/sh", ["-c", "exec /usr/bin/promtool check metrics < \"$0\"", textfiles + "/edgeprobe.prom"])
        let complaints = check.stdout + check.stderr
        #expect(check.status == 0 && complaints.isEmpty, "promtool check metrics: \(complaints)")

        agent.terminate()
        let status = await onOwnThread {
            agent.waitUntilExit()
            return agent.terminationStatus
        }
        #expect(status == 0)
        let errors = AgentProcess.lines(directory + "/stderr.txt").compactMap(JSONLines.object).filter { $0["type"] as? String == "agent_error" }
        #expect(errors.isEmpty, "\(errors)")
    }
}

import Telemetry

extension MetricsRegistry {
    /// The agent itself: identity, settings, resources (from the sample's process reading) and totals.
    mutating func addAgentSeries(_ agent: AgentFigures, process: ProcessReading?) {
        gauge("edgeprobe_build_info", "Always 1; the labels say which edgeprobe runs with which board profile.", 1,
              labels: [MetricLabel("version", agent.version), MetricLabel("board", agent.board)])
        gauge("edgeprobe_board_throttle_temperature_celsius", "The board profile's throttle_temp_c: the firmware throttles above it.",
              agent.throttleLimitC)
        gauge("edgeprobe_sampling_interval_seconds", "sampling.interval in effect.", agent.samplingIntervalS)
        gauge("edgeprobe_agent_start_time_seconds", "When the agent started, seconds since the epoch.", agent.startTimeS)
        gauge("edgeprobe_last_sample_timestamp_seconds", "When the latest sample was taken, seconds since the epoch.", agent.lastSampleS)
        counter("edgeprobe_samples_total", "sample records written.", Double(agent.samples))
        gauge("edgeprobe_agent_resident_memory_bytes", "The agent's resident set size.", process?.rssBytes.map { Double($0) })
        counter("edgeprobe_agent_cpu_seconds_total", "CPU time the agent used, by mode.", process?.userCpuS, labels: [MetricLabel("mode", "user")])
        counter("edgeprobe_agent_cpu_seconds_total", "CPU time the agent used, by mode.", process?.systemCpuS, labels: [MetricLabel("mode", "system")])
        for (output, count) in agent.recordsWritten.sorted(by: { $0.key < $1.key }) {
            counter("edgeprobe_records_written_total", "Records an output took.", Double(count), labels: [MetricLabel("output", output)])
        }
        for (output, count) in agent.recordsDropped.sorted(by: { $0.key < $1.key }) {
            counter("edgeprobe_records_dropped_total", "Records an output could not take (full disk, closed pipe).",
                    Double(count), labels: [MetricLabel("output", output)])
        }
        declare("edgeprobe_suite_runs_total", "Scheduled suite runs, by outcome (completed, interrupted, failed).", .counter)
        for (suite, outcomes) in agent.suiteRuns.sorted(by: { $0.key < $1.key }) {
            for (outcome, count) in outcomes.sorted(by: { $0.key < $1.key }) {
                counter("edgeprobe_suite_runs_total", "Scheduled suite runs, by outcome (completed, interrupted, failed).",
                        Double(count), labels: [MetricLabel("suite", suite), MetricLabel("outcome", outcome)])
            }
        }
        declare("edgeprobe_suite_postponements_total", "Due suite runs postponed, by reason (cpu_busy, cpu_unknown, too_hot).", .counter)
        for (suite, reasons) in agent.suitePostponements.sorted(by: { $0.key < $1.key }) {
            for (reason, count) in reasons.sorted(by: { $0.key < $1.key }) {
                counter("edgeprobe_suite_postponements_total", "Due suite runs postponed, by reason (cpu_busy, cpu_unknown, too_hot).",
                        Double(count), labels: [MetricLabel("suite", suite), MetricLabel("reason", reason)])
            }
        }
        counter("edgeprobe_config_reloads_total", "Configurations applied by SIGHUP.", Double(agent.reloads))
        counter("edgeprobe_config_reload_failures_total", "SIGHUP reloads refused because the file was invalid.", Double(agent.reloadFailures))
        counter("edgeprobe_metrics_textfile_failures_total", "Textfile writes that failed.", Double(agent.textfileFailures))
    }
}

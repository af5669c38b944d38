extension MetricsRegistry {
    /// The last result of each scheduled suite, per layer and per pair, with the time of that run.
    mutating func addSuiteSeries(_ suites: SuiteResults) {
        declare("edgeprobe_suite_layer_latency_p50_seconds", "Median latency of a layer in the suite's last run.", .gauge)
        declare("edgeprobe_suite_layer_latency_p90_seconds", "90th percentile latency of a layer in the suite's last run.", .gauge)
        declare("edgeprobe_suite_layer_gflops", "Throughput of a layer in the suite's last run, GFLOP/s.", .gauge)
        declare("edgeprobe_suite_layer_timestamp_seconds", "When the layer was last measured.", .gauge)
        for (key, layer) in suites.layers.sorted(by: { $0.key < $1.key }) {
            let labels = [MetricLabel("suite", key.suite), MetricLabel("layer", key.name)]
            gauge("edgeprobe_suite_layer_latency_p50_seconds", "Median latency of a layer in the suite's last run.", layer.p50S, labels: labels)
            gauge("edgeprobe_suite_layer_latency_p90_seconds", "90th percentile latency of a layer in the suite's last run.", layer.p90S, labels: labels)
            gauge("edgeprobe_suite_layer_gflops", "Throughput of a layer in the suite's last run, GFLOP/s.", layer.gflops, labels: labels)
            gauge("edgeprobe_suite_layer_timestamp_seconds", "When the layer was last measured.", layer.timestampS, labels: labels)
        }
        declare("edgeprobe_suite_pair_speedup_ratio", "Measured speedup of a pair's candidate over its baseline (baseline p50 / candidate p50).", .gauge)
        declare("edgeprobe_suite_pair_theoretical_ratio", "A pair's theoretical speedup (baseline MACs / candidate MACs).", .gauge)
        declare("edgeprobe_suite_pair_timestamp_seconds", "When the pair was last compared.", .gauge)
        for (key, pair) in suites.pairs.sorted(by: { $0.key < $1.key }) {
            let labels = [MetricLabel("suite", key.suite), MetricLabel("pair", key.name)]
            gauge("edgeprobe_suite_pair_speedup_ratio", "Measured speedup of a pair's candidate over its baseline (baseline p50 / candidate p50).",
                  pair.speedupRate, labels: labels)
            gauge("edgeprobe_suite_pair_theoretical_ratio", "A pair's theoretical speedup (baseline MACs / candidate MACs).",
                  pair.theoreticalRatio, labels: labels)
            gauge("edgeprobe_suite_pair_timestamp_seconds", "When the pair was last compared.", pair.timestampS, labels: labels)
        }
        declare("edgeprobe_suite_last_success_timestamp_seconds", "When the suite's last complete (not interrupted) run ended.", .gauge)
        for (suite, time) in suites.lastSuccessS.sorted(by: { $0.key < $1.key }) {
            gauge("edgeprobe_suite_last_success_timestamp_seconds", "When the suite's last complete (not interrupted) run ended.",
                  time, labels: [MetricLabel("suite", suite)])
        }
        addSoakSeries(suites.soaks)
    }

    /// The last complete soak of each scheduled soak entry, labelled `suite` like the entry's runs
    /// (`edgeprobe_suite_runs_total`). Families appear once a soak has finished: an agent that
    /// schedules none exports none.
    private mutating func addSoakSeries(_ soaks: [String: SuiteResults.Soak]) {
        for (suite, soak) in soaks.sorted(by: { $0.key < $1.key }) {
            let labels = [MetricLabel("suite", suite)]
            gauge("edgeprobe_soak_burst_latency_p50_seconds", "Median latency in the first window of the last soak (the board fresh and cool).",
                  soak.burstP50S, labels: labels)
            gauge("edgeprobe_soak_sustained_latency_p50_seconds", "Median of the window medians over the last third of the last soak.",
                  soak.sustainedP50S, labels: labels)
            gauge("edgeprobe_soak_sustained_over_burst_ratio", "Sustained over burst median latency of the last soak; above 1 the board slowed down.",
                  soak.sustainedOverBurst, labels: labels)
            gauge("edgeprobe_soak_latency_p90_seconds", "90th percentile latency over every inference of the last soak.", soak.p90S, labels: labels)
            gauge("edgeprobe_soak_throttled", "1 when a window of the last soak was throttled, 0 when none was.", soak.throttled, labels: labels)
            gauge("edgeprobe_soak_time_to_throttle_seconds", "When the first throttled window of the last soak started, seconds into it.",
                  soak.timeToThrottleS, labels: labels)
            gauge("edgeprobe_soak_start_temperature_celsius", "Hottest sensor just before the last soak's first window.", soak.startTempC, labels: labels)
            gauge("edgeprobe_soak_max_temperature_celsius", "Hottest sensor over the last soak.", soak.maxTempC, labels: labels)
            gauge("edgeprobe_soak_heating_rate_celsius_per_second", "How fast the hottest sensor rose over the last soak's first minutes.",
                  soak.heatingRateCPerS, labels: labels)
            gauge("edgeprobe_soak_energy_per_inference_joules", "Board energy per inference over the last soak.", soak.energyPerInferenceJ, labels: labels)
            gauge("edgeprobe_soak_inferences", "Inferences in the last soak's windows.", soak.inferences, labels: labels)
            gauge("edgeprobe_soak_timestamp_seconds", "When the last soak ended (its soak record).", soak.timestampS, labels: labels)
        }
    }
}

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
    }
}

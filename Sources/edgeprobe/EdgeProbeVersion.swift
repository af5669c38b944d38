/// The version written into `run_start` records and printed by `--version`.
enum EdgeProbeVersion {
    static let current = "0.1.0"
}

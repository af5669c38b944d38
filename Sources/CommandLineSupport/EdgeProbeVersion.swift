/// The version written into `run_start` records and printed by `--version`.
public enum EdgeProbeVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}

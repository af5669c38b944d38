/// The version of this build: written into `run_start` records, printed by `--version`, and
/// named by every record's engine description when edgeprobe's kernels measured it.
public enum EdgeProbeVersion {
    /// The version of this build.
    public static let current = "0.1.0"
}

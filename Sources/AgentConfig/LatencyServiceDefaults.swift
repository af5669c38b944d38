import Measurement

/// The latency service's default settings, in one place for `edgeprobe latency serve` and the
/// agent's `latency_service` entry.
public enum LatencyServiceDefaults {
    /// Loopback port 8321.
    public static let listen = ListenAddress(host: "127.0.0.1", port: 8321)
    /// Requests that may wait behind the running measurement.
    public static let maxQueue = 4
    /// Largest request body, bytes.
    public static let maxBodyBytes = 64 << 10
    /// Largest architecture, multiply-accumulates.
    public static let maxMacs = 1_000_000_000
    /// Largest architecture, bytes of weights and activations.
    public static let maxMemoryBytes = 512 << 20
    /// Longest a request may wait and be measured, seconds.
    public static let requestTimeoutS = 120.0
    /// Warm-up, fewest timed iterations and least timed duration (seconds) per measurement.
    public static let policy = MeasurementPolicy(warmupIterations: 5, minIterations: 20, minTimeS: 1)
    /// Largest `min_time_s` a request may ask for, seconds.
    public static let maxMinTimeS = 60.0
    /// Upper percentile reported as the conservative latency.
    public static let percentile = 90
}

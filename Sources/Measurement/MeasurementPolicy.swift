/// How long to measure one benchmark: warm up, then iterate until both the minimum count and the
/// minimum time are reached (or the maximum count, whichever comes first).
public struct MeasurementPolicy: Sendable, Equatable, Codable {
    /// Untimed iterations before measuring: caches, page faults, branch predictors, frequency ramp-up.
    public var warmupIterations: Int
    /// Fewest timed iterations.
    public var minIterations: Int
    /// Least total timed duration, in seconds.
    public var minTimeS: Double
    /// Most timed iterations, a bound for very fast layers.
    public var maxIterations: Int

    /// A policy; the defaults suit layers from microseconds to tens of milliseconds.
    public init(warmupIterations: Int = 5, minIterations: Int = 20, minTimeS: Double = 1.0, maxIterations: Int = 100_000) {
        self.warmupIterations = warmupIterations
        self.minIterations = minIterations
        self.minTimeS = minTimeS
        self.maxIterations = maxIterations
    }
}

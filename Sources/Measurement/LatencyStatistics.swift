/// Summary statistics of repeated latency measurements, in microseconds.
///
/// Percentiles interpolate linearly between the two nearest order statistics (the
/// "type 7" definition numpy and R use by default), so p50 of an even count is the mean of the
/// middle pair. `std` is the sample standard deviation (n − 1).
public struct LatencyStatistics: Codable, Sendable, Equatable {
    /// Number of measured iterations.
    public let n: Int
    /// Fastest iteration.
    public let min: Double
    /// Arithmetic mean.
    public let mean: Double
    /// Sample standard deviation; 0 for a single iteration.
    public let std: Double
    /// Median.
    public let p50: Double
    /// 90th percentile.
    public let p90: Double
    /// 99th percentile.
    public let p99: Double
    /// Slowest iteration.
    public let max: Double
    /// Coefficient of variation, std / mean.
    public let cv: Double

    /// Statistics of a non-empty list of measurements; `nil` when there is none.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let count = Double(sorted.count)
        let mean = sorted.reduce(0, +) / count
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let std = sorted.count > 1 ? (squares / (count - 1)).squareRoot() : 0
        n = sorted.count
        min = sorted[0]
        max = sorted[sorted.count - 1]
        self.mean = mean
        self.std = std
        p50 = Self.percentile(sorted, 0.50)
        p90 = Self.percentile(sorted, 0.90)
        p99 = Self.percentile(sorted, 0.99)
        cv = mean > 0 ? std / mean : 0
    }

    /// The `fraction` quantile of sorted values, linearly interpolated.
    package static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let position = fraction * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = Swift.min(lower + 1, sorted.count - 1)
        let weight = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * weight
    }
}

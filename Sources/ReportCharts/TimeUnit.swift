/// The unit of a time axis: seconds for a short run, minutes or hours for a long one (an agent
/// samples for months), so tick labels stay readable.
public struct TimeUnit {
    /// Seconds per unit.
    public let seconds: Double
    /// The unit's name in an axis title: `s`, `min`, `h`.
    public let name: String

    /// The unit for a run lasting `span` seconds.
    public static func forSpan(_ span: Double) -> TimeUnit {
        if span > 2 * 3600 { return TimeUnit(seconds: 3600, name: "h") }
        if span > 300 { return TimeUnit(seconds: 60, name: "min") }
        return TimeUnit(seconds: 1, name: "s")
    }
}

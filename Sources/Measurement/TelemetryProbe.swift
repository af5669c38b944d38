/// Telemetry during benchmarks, as the harness needs it: sample on another thread while a
/// benchmark runs, then summarize; and tell the hottest temperature for cooldowns.
public protocol TelemetryProbe: AnyObject {
    /// Starts sampling in the background.
    func begin()
    /// Stops sampling and summarizes what was sampled since `begin()`.
    func end() -> TelemetrySummary
    /// The hottest sensor right now, degrees Celsius; `nil` when the board has none.
    func hottestTemperatureC() -> Double?
}

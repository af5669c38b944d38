/// One source of telemetry (CPU, memory, sensors, ...), read once per sample.
///
/// Every collector takes a filesystem root in its initializer so tests run it on fixture trees.
/// Missing hardware is "no data", not an error: `read` returns `nil` figures and records why
/// under a dotted key (`"temperatures"`, `"cpu.utilization"`) in `unavailable`.
/// Collectors are not thread-safe; the `Sampler` that owns them uses them from one thread.
public protocol Collector: AnyObject {
    /// What one reading gives.
    associatedtype Reading: Sendable
    /// Reads the source now, adding a reason to `unavailable` for every figure it cannot give.
    func read(unavailable: inout [String: String]) -> Reading
}

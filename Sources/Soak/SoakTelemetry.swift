import Suites
import Synchronization
import Telemetry

/// Telemetry for a soak: one `SamplingThread` for the whole run that also reads board power at
/// each sample, and hands over the samples of each window as it ends.
public final class SoakTelemetry {
    /// One sample and the board power read with it.
    public struct Reading: Sendable {
        /// The full sample.
        public var sample: Sample
        /// Board input power in watts, or `nil`.
        public var powerW: Double?
    }

    /// The power collector, read only on the sampling thread (collectors are not thread-safe).
    private final class PowerProbe: @unchecked Sendable {
        let collector: PowerCollector
        init(root: String) { collector = PowerCollector(root: root) }
    }

    /// Readings of the window running now, filled by the sampling thread.
    private final class Pending: Sendable {
        let readings = Mutex<[Reading]>([])
    }

    private let pending = Pending()
    private var thread: SamplingThread!
    /// Why the board's power is `null` (no sensor, or no rail marked as the input), or `nil`.
    public let powerUnavailable: String?

    /// Starts sampling `root` every `interval`, off the workload's `benchmarkCPUs` (see
    /// `SampledTelemetry.startSampling`).
    /// - Throws: `SamplingThreadError` when the thread cannot start.
    public init(interval: Duration, root: String = "/", awayFrom benchmarkCPUs: [Int]? = nil) throws {
        let probe = PowerProbe(root: root)
        powerUnavailable = probe.collector.noBoardRailReason
        thread = try SampledTelemetry.startSampling(interval: interval, root: root, awayFrom: benchmarkCPUs) { [pending] sample in
            var ignored: [String: String] = [:]
            let power = probe.collector.read(unavailable: &ignored).boardW
            pending.readings.withLock { $0.append(Reading(sample: sample, powerW: power)) }
        }
    }

    deinit {
        thread.stop()
    }

    /// The hottest sensor in the latest sample, °C; `nil` without a sensor (or a sample yet).
    public func hottestTemperatureC() -> Double? {
        thread.latest?.hottestC
    }

    /// The latest full sample.
    public var latestSample: Sample? { thread.latest }

    /// The readings taken since the previous call (the window that just ended), oldest first.
    public func takeReadings() -> [Reading] {
        pending.readings.withLock { readings in
            defer { readings = [] }
            return readings
        }
    }
}

import Glibc
import Kernels
import Measurement
import Synchronization
import Telemetry

/// Telemetry for benchmarks from one long-lived `SamplingThread` (libsensors and libproc2 want one
/// owning thread): it samples for the whole run, and `begin()`/`end()` mark the window a benchmark
/// ran in. Between benchmarks the latest sample serves cooldowns.
public final class SampledTelemetry: TelemetryProbe {
    /// Samples of the benchmark running now; `nil` between benchmarks.
    private final class Window: Sendable {
        let samples = Mutex<[Sample]?>(nil)
    }

    private let window = Window()
    private var thread: SamplingThread!

    /// Starts the sampling thread, off `benchmarkCPUs` (see `startSampling`).
    /// - Throws: `SamplingThreadError` when the thread cannot start.
    public init(interval: Duration, awayFrom benchmarkCPUs: [Int]? = nil) throws {
        thread = try Self.startSampling(interval: interval, awayFrom: benchmarkCPUs) { [window] sample in
            window.samples.withLock { samples in samples?.append(sample) }
        }
    }

    /// Starts a sampling thread of `root` calling `onSample`, off `benchmarkCPUs`: the calling
    /// thread first moves to the other CPUs (where there are any), so the sampling thread, which
    /// inherits that affinity, stays off the benchmark's cores (a thread pool then pins the caller
    /// to the benchmark CPUs). Returns once the first sample is in (bounded), so `run_start` can
    /// describe the board.
    /// - Throws: `SamplingThreadError` when the thread cannot start.
    public static func startSampling(
        interval: Duration, root: String = "/", awayFrom benchmarkCPUs: [Int]?,
        onSample: @escaping @Sendable (Sample) -> Void
    ) throws -> SamplingThread {
        if let benchmarkCPUs {
            let others = CPUAffinity.currentThreadCPUs().filter { !benchmarkCPUs.contains($0) }
            if !others.isEmpty { CPUAffinity.pinCurrentThread(to: others) }
        }
        let thread = try SamplingThread(interval: interval, root: root, onSample: onSample)
        for _ in 0..<200 where thread.latest == nil {
            usleep(5_000)
        }
        return thread
    }

    deinit {
        thread.stop()
    }

    public func begin() {
        window.samples.withLock { $0 = [] }
    }

    /// Summarizes the window. A benchmark shorter than the sampling interval may see no sample
    /// of its own; it is then described by the latest one, whose deltas overlap it.
    public func end() -> TelemetrySummary {
        var samples = window.samples.withLock { samples in
            defer { samples = nil }
            return samples ?? []
        }
        if samples.isEmpty, let latest = thread.latest { samples = [latest] }
        return TelemetrySummary(samples: samples)
    }

    public func hottestTemperatureC() -> Double? {
        thread.latest?.hottestC
    }

    /// The most recent full sample, for `run_start`.
    public var latestSample: Sample? { thread.latest }
}

import Glibc
import Quantities
import Synchronization
import SystemErrors

/// A dedicated thread that owns a `Sampler` and reads it at a fixed interval, handing each
/// `Sample` to a callback: telemetry alongside a benchmark without sharing the benchmark's thread.
///
/// The first sample is taken at once (its utilization is `null`), then one per interval on a
/// fixed schedule (no drift from the time sampling takes). `stop()` wakes the thread and joins it.
public final class SamplingThread: Sendable {
    /// What the thread needs, handed over through `pthread_create`'s context pointer.
    private final class Job: @unchecked Sendable {
        let intervalNs: UInt64
        let root: String
        let sensorBackend: SensorBackend
        let onSample: @Sendable (Sample) -> Void
        let wakeup: WakeupPipe
        let latest: Mutex<Sample?>

        init(intervalNs: UInt64, root: String, sensorBackend: SensorBackend,
             onSample: @escaping @Sendable (Sample) -> Void, wakeup: WakeupPipe) {
            self.intervalNs = intervalNs
            self.root = root
            self.sensorBackend = sensorBackend
            self.onSample = onSample
            self.wakeup = wakeup
            latest = Mutex(nil)
        }

        /// The sampling loop; the `Sampler` is created here so it lives and dies on this thread.
        func run() {
            let sampler = Sampler(root: root, sensorBackend: sensorBackend)
            var schedule = SamplingSchedule(intervalNs: intervalNs, startNs: MonotonicClock.now())
            while true {
                let sample = sampler.read()
                latest.withLock { $0 = sample }
                onSample(sample)
                if wakeup.wait(until: schedule.next(after: MonotonicClock.now())) { return }
            }
        }
    }

    private let wakeup: WakeupPipe
    private let job: Job
    private let thread: Mutex<pthread_t?>

    /// The most recent sample, or `nil` before the first one (e.g. the hottest sensor for a cooldown).
    public var latest: Sample? { job.latest.withLock { $0 } }

    /// Starts sampling the system under `root` every `interval`.
    /// - Throws: `SamplingThreadError` when the interval is not positive or the thread cannot start.
    public init(
        interval: Duration, root: String = "/", sensorBackend: SensorBackend = .automatic,
        onSample: @escaping @Sendable (Sample) -> Void
    ) throws {
        let nanoseconds = DurationText.nanoseconds(interval)
        guard nanoseconds > 0 else { throw SamplingThreadError.nonPositiveInterval }
        wakeup = try WakeupPipe()
        let job = Job(intervalNs: UInt64(nanoseconds), root: root, sensorBackend: sensorBackend,
                      onSample: onSample, wakeup: wakeup)
        self.job = job
        let context = Unmanaged.passRetained(job).toOpaque()
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { context in
            let job = Unmanaged<Job>.fromOpaque(context!).takeRetainedValue()
            job.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Job>.fromOpaque(context).release()
            throw SamplingThreadError.cannotStart(errno: status)
        }
        thread = Mutex(handle)
    }

    deinit {
        stop()
    }

    /// Stops sampling: wakes the thread, waits for the sample in progress (if any) and joins.
    /// Safe to call more than once and from any thread except the sampling thread itself.
    public func stop() {
        wakeup.wake()
        let handle = thread.withLock { handle -> pthread_t? in
            defer { handle = nil }
            return handle
        }
        if let handle { pthread_join(handle, nil) }
    }
}

/// Why a `SamplingThread` could not start.
public enum SamplingThreadError: Error, Equatable, CustomStringConvertible {
    /// The interval was zero or negative.
    case nonPositiveInterval
    /// `pthread_create` failed with this error number.
    case cannotStart(errno: Int32)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .nonPositiveInterval: "the sampling interval must be greater than zero"
        case let .cannotStart(code): "cannot start the sampling thread: " + SystemError(code: code).description
        }
    }
}

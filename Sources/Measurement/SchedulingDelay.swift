import Glibc

/// How long this process's threads waited, runnable, for a CPU (Linux's schedstat `run_delay` of
/// each thread that exists when it is made): read before and after a timed run, the longest
/// wait of one thread is time other processes kept the run from a CPU. On a machine shared with
/// other processes that wait is their load, not the network's latency, so the lookup table and
/// its check take it off (`DelayAdjustedRuns`).
public final class SchedulingDelay {
    private let descriptors: [Int32]

    /// Opens `/proc/self/task/<tid>/schedstat` of every thread now running (make it after the
    /// thread pools exist); `nil` where the kernel does not report schedstat.
    public init?() {
        guard let directory = opendir("/proc/self/task") else { return nil }
        defer { closedir(directory) }
        var descriptors: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.first?.isNumber == true else { continue }
            let descriptor = open("/proc/self/task/\(name)/schedstat", O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 { descriptors.append(descriptor) }
        }
        self.descriptors = descriptors
        // deinit closes the descriptors when there is nothing to read.
        guard reading().contains(where: { $0 != nil }) else { return nil }
    }

    deinit { descriptors.forEach { close($0) } }

    /// Each thread's wait for a CPU so far, nanoseconds; `nil` for a thread whose figure could
    /// not be read (it exited).
    public func reading() -> [UInt64?] {
        var buffer = [UInt8](repeating: 0, count: 96)
        return descriptors.map { descriptor in
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            // "<on-CPU ns> <run_delay ns> <timeslices>\n"
            let fields = buffer[..<count].split(separator: UInt8(ascii: " "))
            return fields.count >= 2 ? UInt64(String(decoding: fields[1], as: UTF8.self)) : nil
        }
    }

    /// Microseconds the thread that waited longest for a CPU since `start` (a `reading()`);
    /// 0 without one.
    public func microseconds(since start: [UInt64?]?) -> Double {
        guard let start else { return 0 }
        return Self.microseconds(from: start, to: reading())
    }

    /// Microseconds the thread that waited longest for a CPU between two readings waited (of the
    /// threads read both times). Not the sum: two threads waiting at once delay a run once, and
    /// the longest wait of one thread can never exceed the time between the readings.
    public static func microseconds(from start: [UInt64?], to end: [UInt64?]) -> Double {
        var longest: UInt64 = 0
        for (before, after) in zip(start, end) {
            if let before, let after, after >= before { longest = max(longest, after - before) }
        }
        return Double(longest) / 1e3
    }
}

/// Timed runs with the scheduling delay each met: a run's latency minus the longest time one of
/// the process's threads waited for a CPU. With one thread that is what the run would have taken
/// had no other process been runnable (its own time on the CPU); with more it can leave some of
/// the wait in, when threads waited at different times (what is left, the calibration networks of
/// `lut --check` measure too).
public struct DelayAdjustedRuns: Sendable {
    /// A run that waited for a CPU at most this share of its latency counts as undisturbed.
    public static let undisturbedShare = 0.05

    /// Latencies, microseconds.
    public private(set) var latencies: [Double] = []
    /// Scheduling delay during each run, microseconds (0 where not measured).
    public private(set) var delays: [Double] = []
    /// When each run started, microseconds from a moment the caller chose (0 where not given).
    public private(set) var startsUs: [Double] = []

    /// No runs yet.
    public init() {}

    /// Adds a run of `latency` µs, started at `startUs`, that waited `delay` µs for a CPU.
    public mutating func append(latency: Double, delay: Double, startUs: Double = 0) {
        latencies.append(latency)
        delays.append(delay)
        startsUs.append(startUs)
    }

    /// Each run's latency minus its scheduling delay, microseconds, of the runs that waited less
    /// than their latency (the readings bracket the clock, so a run that waited all along can
    /// show a little more); every latency as measured when no run did.
    public var adjusted: [Double] { adjustedRuns.map(\.latencyUs) }

    /// The runs of `adjusted`, each with when it started.
    public var adjustedRuns: [(startUs: Double, latencyUs: Double)] {
        let kept = latencies.indices.filter { delays[$0] < latencies[$0] }
        return kept.isEmpty ? latencies.indices.map { (startsUs[$0], latencies[$0]) } : kept.map { (startsUs[$0], latencies[$0] - delays[$0]) }
    }

    /// How many runs waited at most `undisturbedShare` of their latency.
    public var undisturbedCount: Int {
        zip(latencies, delays).filter { $0.1 <= Self.undisturbedShare * $0.0 }.count
    }
}

/// When a sampling loop reads next: on a fixed grid of `intervalNs` from its start, so samples
/// do not drift, but never sooner than half an interval after the reading that just ended. A
/// loop that fell behind (a starved process, a slow first reading) skips the grid points it
/// missed instead of reading again at once: two readings a few microseconds apart carry no
/// utilization (the CPU counters did not move) and only add cost.
public struct SamplingSchedule: Sendable {
    /// Nanoseconds between grid points.
    public let intervalNs: UInt64
    /// The grid point of the latest reading (monotonic nanoseconds).
    public private(set) var deadlineNs: UInt64

    /// A grid starting at `startNs` (the first reading's time).
    public init(intervalNs: UInt64, startNs: UInt64) {
        self.intervalNs = max(intervalNs, 1)
        deadlineNs = startNs
    }

    /// The next grid point at least half an interval after `readingEndNs`, when the reading
    /// just taken ended; the schedule moves to it.
    public mutating func next(after readingEndNs: UInt64) -> UInt64 {
        deadlineNs += intervalNs
        let earliest = readingEndNs + intervalNs / 2
        if deadlineNs < earliest {
            deadlineNs += (earliest - deadlineNs + intervalNs - 1) / intervalNs * intervalNs
        }
        return deadlineNs
    }
}

import Measurement

/// How much faster or slower the machine ran than when a lookup table was measured, moment by
/// moment through a check: from the timed runs of the table's calibration networks, measured in
/// the same rounds as the sampled architectures, each over that network's median in the table.
///
/// On a shared machine the load of other processes changes while a check runs (builds start and
/// end), and at 2 threads on 2 vCPUs how much the second worker helps changes with it; one
/// factor over the whole check then fits some networks and not others. The trace gives each
/// sampled run the factor of the calibration runs around it in time, so every run is judged
/// against the machine as it was during that run. Each calibration network counts once (the
/// median of its ratios within the window), and the factor is the median over the networks:
/// no single network, fast or slow in the table by chance, sets it.
struct SpeedTrace: Sendable {
    /// A timed run of a calibration network.
    struct Point: Sendable, Equatable {
        /// When the run started, microseconds since the check began.
        var timeUs: Double
        /// Which calibration network ran.
        var network: Int
        /// Its latency over that network's median in the table.
        var ratio: Double
    }

    /// Half the width of the window of calibration runs each factor is taken over, microseconds.
    let windowUs: Double
    /// The calibration runs, by time.
    private let points: [Point]

    /// A trace of `points`, each factor taken over the runs within ±`windowUs` of the moment.
    init(points: [Point], windowUs: Double) {
        self.points = points.sorted { $0.timeUs < $1.timeUs }
        self.windowUs = windowUs
    }

    /// The machine's speed factor around `timeUs` (latency now over latency in the table): per
    /// calibration network run within ±`windowUs`, the median of its ratios; the median of those.
    /// `nil` when no calibration network ran within the window.
    func factor(atUs timeUs: Double) -> Double? {
        let window = points[firstIndex(atLeast: timeUs - windowUs)..<firstIndex(atLeast: timeUs + windowUs, orAfter: true)]
        guard !window.isEmpty else { return nil }
        var ratios: [Int: [Double]] = [:]
        for point in window { ratios[point.network, default: []].append(point.ratio) }
        return Self.median(ratios.values.map { Self.median($0) })
    }

    /// A sampled network's runs (start time and latency, microseconds) divided by the factor at
    /// each run's start: its latencies on the machine as fast as when the table was measured.
    /// Runs with no calibration run within the window keep `fallback` (the check's overall factor).
    func normalized(_ runs: [(startUs: Double, latencyUs: Double)], fallback: Double) -> [Double] {
        runs.map { $0.latencyUs / (factor(atUs: $0.startUs) ?? fallback) }
    }

    /// A sampled network's speed correction: the median of its latencies over the median of
    /// them `normalized`; `fallback` when it has no runs. Its predicted median times this is
    /// what the machine, as it ran during those runs, should have measured.
    func correction(for runs: [(startUs: Double, latencyUs: Double)], fallback: Double) -> Double {
        guard !runs.isEmpty else { return fallback }
        return Self.median(runs.map(\.latencyUs)) / Self.median(normalized(runs, fallback: fallback))
    }

    /// The index of the first point at or after `time` (`orAfter`: strictly after).
    private func firstIndex(atLeast time: Double, orAfter: Bool = false) -> Int {
        var (low, high) = (0, points.count)
        while low < high {
            let middle = (low + high) / 2
            let start = points[middle].timeUs
            if start < time || (orAfter && start == time) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func median(_ values: [Double]) -> Double {
        LatencyStatistics.percentile(values.sorted(), 0.5)
    }
}

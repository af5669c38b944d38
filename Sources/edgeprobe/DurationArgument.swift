import ArgumentParser
import Telemetry

/// A duration option: `250ms`, `1s`, `1.5s`, `2m`, or a bare number of seconds (see `DurationText`).
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration.
    let duration: Duration

    init(_ duration: Duration) {
        self.duration = duration
    }

    init?(argument: String) {
        guard let duration = try? DurationText.parse(argument) else { return nil }
        self.duration = duration
    }

    /// The duration in seconds.
    var seconds: Double { Double(DurationText.nanoseconds(duration)) / 1e9 }

    var description: String { DurationText.format(duration) }
}

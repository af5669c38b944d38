import ArgumentParser
import Telemetry
import Quantities

/// A duration option: `250ms`, `1s`, `1.5s`, `2m`, or a bare number of seconds (see `DurationText`).
public struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration.
    public let duration: Duration

    /// A duration given in code (a default).
    public init(_ duration: Duration) {
        self.duration = duration
    }

    /// Parses `250ms`, `1s`, `2m` or a bare number of seconds; `nil` for anything else. A
    /// leading `-` gives a negative duration, so that the command's validation can say what is
    /// wrong with it (must not be negative) rather than call it unreadable.
    public init?(argument: String) {
        let negative = argument.hasPrefix("-")
        guard let duration = try? DurationText.parse(negative ? String(argument.dropFirst()) : argument) else { return nil }
        self.duration = negative ? .zero - duration : duration
    }

    /// The duration in seconds.
    public var seconds: Double { Double(DurationText.nanoseconds(duration)) / 1e9 }

    /// The duration as `DurationText` writes it.
    public var description: String { duration < .zero ? "-" + DurationText.format(.zero - duration) : DurationText.format(duration) }
}

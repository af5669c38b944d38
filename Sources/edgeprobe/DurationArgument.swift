import ArgumentParser

/// A duration on the command line: `250ms`, `1s`, `1.5s`, `2m`, or a bare number of seconds.
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    /// The duration in seconds.
    let seconds: Double

    init(seconds: Double) {
        self.seconds = seconds
    }

    init?(argument: String) {
        let units: [(suffix: String, scale: Double)] = [("ms", 1e-3), ("us", 1e-6), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(argument.dropLast(unit.suffix.count)), number.isFinite else { return nil }
        seconds = number * unit.scale
    }

    var description: String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded()))ms" : "\(seconds)s"
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

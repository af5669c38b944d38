import ArgumentParser

/// A `--rate` value: inferences started per second, `30/s` or `30` (fractions allowed, `0.5/s`).
struct RateArgument: ExpressibleByArgument, Sendable, Equatable {
    /// Inferences per second.
    let perSecond: Double

    init?(argument: String) {
        let number = argument.hasSuffix("/s") ? String(argument.dropLast(2)) : argument
        guard let value = Double(number), value.isFinite else { return nil }
        perSecond = value
    }
}

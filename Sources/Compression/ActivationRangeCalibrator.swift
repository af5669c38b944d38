// Calibration of activation ranges on sample data, for post-training quantization.

/// Collects the values an activation takes on calibration inputs and picks the range to quantize.
public struct ActivationRangeCalibrator: Sendable {
    /// How the range is chosen from the observed values.
    public enum Method: Sendable, Equatable {
        /// The smallest and largest value seen.
        case minMax
        /// The p-th and (100 − p)-th percentiles (p in 50...100), clipping rare outliers; keeps
        /// every observed value, so meant for calibration sets of modest size.
        case percentile(Double)
    }

    /// The method in use.
    public let method: Method
    /// How many values have been observed.
    public private(set) var observedCount = 0
    private var minimum = Float.infinity
    private var maximum = -Float.infinity
    private var samples: [Float] = []

    /// Starts a calibrator with `method`.
    public init(method: Method = .minMax) {
        if case .percentile(let percent) = method {
            precondition((50...100).contains(percent), "percentile is 50...100")
        }
        self.method = method
    }

    // MARK: - Observing

    /// Records the (finite) values of one activation tensor; non-finite values are ignored.
    public mutating func observe(_ values: some Sequence<Float>) {
        for value in values where value.isFinite {
            observedCount += 1
            minimum = min(minimum, value)
            maximum = max(maximum, value)
            if case .percentile = method { samples.append(value) }
        }
    }

    // MARK: - Results

    /// The calibrated range, or nil before any value was observed.
    public func range() -> ClosedRange<Float>? {
        guard observedCount > 0 else { return nil }
        switch method {
        case .minMax:
            return minimum...maximum
        case .percentile(let percent):
            let sorted = samples.sorted()
            let last = Double(sorted.count - 1)
            let high = Int((last * percent / 100).rounded())
            let low = Int((last * (100 - percent) / 100).rounded())
            return sorted[low]...sorted[high]
        }
    }

    /// Quantization parameters for the calibrated range, or nil before any value was observed.
    public func parameters(type: QuantizedType) -> AffineQuantization? {
        range().map { AffineQuantization(minimum: $0.lowerBound, maximum: $0.upperBound, type: type) }
    }
}

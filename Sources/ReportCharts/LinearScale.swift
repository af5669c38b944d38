import Foundation

/// Maps a range of values onto a length of the drawing, with round tick values.
struct LinearScale {
    /// The values shown, after rounding out to tick values.
    private(set) var lower: Double, upper: Double
    /// Where `lower` and `upper` land in the drawing.
    let start: Double, end: Double
    /// Distance between ticks.
    private(set) var step: Double

    /// A scale covering `values` (missing ones ignored), from 0 when `zeroBased` (a quantity
    /// read as a ratio or compared by length must start at 0), rounded out to nice ticks.
    init(covering values: [Double?], zeroBased: Bool, start: Double, end: Double, ticks: Int = 5) {
        let present = values.compactMap { $0 }.filter(\.isFinite)
        var low = present.min() ?? 0, high = present.max() ?? 1
        if zeroBased { low = min(0, low); high = max(0, high) }
        if high == low {
            let pad = high == 0 ? 1 : abs(high) * 0.1
            low -= zeroBased && low == 0 ? 0 : pad
            high += pad
        }
        step = LinearScale.niceStep((high - low) / Double(max(1, ticks)))
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        if zeroBased, low >= 0 { lower = 0 }
        self.start = start
        self.end = end
    }

    /// The drawing coordinate of `value`.
    func position(_ value: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// Tick values from `lower` to `upper`.
    var ticks: [Double] {
        var values: [Double] = []
        var value = lower
        while value <= upper + step * 1e-9 {
            values.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return values
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    private static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for factor in [1.0, 2, 2.5, 5, 10] where factor * power >= raw * 0.999 { return factor * power }
        return 10 * power
    }
}

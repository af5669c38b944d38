import Foundation

/// Maps positive values onto a length logarithmically, for figures spanning decades (a 2 µs
/// layer beside a 2 ms one). Only dots and whiskers are drawn on it, never bars: a length on a
/// log axis means nothing.
struct LogScale: ValueScale {
    private let lowerExponent: Double, upperExponent: Double
    let start: Double, end: Double

    /// A scale covering the positive values among `values`, rounded out to powers of ten.
    init(covering values: [Double?], start: Double, end: Double) {
        let present = values.compactMap { $0 }.filter { $0 > 0 && $0.isFinite }
        lowerExponent = floor(log10(present.min() ?? 1))
        upperExponent = max(lowerExponent + 1, ceil(log10(present.max() ?? 10)))
        self.start = start
        self.end = end
    }

    func position(_ value: Double) -> Double {
        let exponent = log10(max(value, pow(10, lowerExponent)))
        return start + (exponent - lowerExponent) / (upperExponent - lowerExponent) * (end - start)
    }

    /// Powers of ten, with 2 and 5 between them when there are few decades.
    var ticks: [Double] {
        let decades = Int(upperExponent - lowerExponent)
        var values: [Double] = []
        for exponent in Int(lowerExponent)...Int(upperExponent) {
            let power = pow(10, Double(exponent))
            values.append(power)
            if decades <= 3, exponent < Int(upperExponent) { values += [2 * power, 5 * power] }
        }
        return values
    }

    /// Where the axis begins (the smallest power of ten shown).
    var origin: Double { pow(10, lowerExponent) }
}

/// What a chart needs of a value axis.
protocol ValueScale {
    func position(_ value: Double) -> Double
    var ticks: [Double] { get }
}

extension LinearScale: ValueScale {}

import Foundation

/// How figures are written in the report: a few significant digits, units beside them.
public enum NumberText {
    /// `value` with `digits` significant digits, no exponent for everyday magnitudes.
    public static func significant(_ value: Double, _ digits: Int = 3) -> String {
        guard value.isFinite else { return "n/a" }
        if value == 0 { return "0" }
        let magnitude = Int(floor(log10(abs(value))))
        let decimals = max(0, digits - 1 - magnitude)
        if magnitude >= 9 || magnitude < -4 { return String(format: "%.\(digits - 1)e", value) }
        return String(format: "%.\(decimals)f", value)
    }

    /// A number as JSON would show it (whole numbers without a fraction).
    public static func plain(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// A duration in microseconds, written in µs or ms, whichever reads better.
    public static func micros(_ value: Double) -> String {
        value >= 10_000 ? significant(value / 1000) + " ms" : significant(value) + " µs"
    }

    /// A share 0...1 as a percentage.
    public static func percent(_ share: Double, _ digits: Int = 3) -> String { significant(share * 100, digits) + " %" }

    /// A byte count in B, KiB, MiB or GiB.
    public static func bytes(_ value: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value, unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 { scaled /= 1024; unit += 1 }
        return (unit == 0 ? plain(scaled) : significant(scaled)) + " " + units[unit]
    }

    /// A frequency in hertz, written in MHz or GHz.
    public static func hertz(_ value: Double) -> String {
        value >= 1e9 ? significant(value / 1e9) + " GHz" : significant(value / 1e6) + " MHz"
    }

    /// A large count with thousands grouped by thin spaces (43 200).
    public static func count(_ value: Double) -> String {
        guard value.rounded() == value, abs(value) < 1e15 else { return significant(value) }
        let digits = String(Int(abs(value)))
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "\u{2009}" }
            grouped.append(digit)
        }
        return (value < 0 ? "−" : "") + grouped
    }
}

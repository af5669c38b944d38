/// Numbers written with a fixed count of decimals for people (tables on a terminal), without
/// Foundation's `String(format:)`.
public enum DecimalText {
    /// `value` rounded half away from zero to `digits` decimals: `fixed(1.25, 1)` is `1.3`,
    /// `fixed(-1.25, 1)` is `-1.3`, `fixed(7, 0)` is `7`; a value that rounds to zero has no sign.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = Int((value * scale).rounded())
        guard digits > 0 else { return String(scaled) }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = abs(scaled)
        let fraction = String(magnitude % Int(scale))
        return sign + String(magnitude / Int(scale)) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

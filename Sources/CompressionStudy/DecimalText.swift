/// `value` rounded to `digits` decimals and written with exactly that many (no Foundation).
func decimalText(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    guard digits > 0 else { return "\(Int(rounded))" }
    var text = "\(rounded)"
    let decimals = text.split(separator: ".").last.map(\.count) ?? 0
    if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    return text
}

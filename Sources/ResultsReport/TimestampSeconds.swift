/// Seconds since 1970 of an RFC 3339 UTC timestamp as edgeprobe writes it
/// (`2026-12-05T23:29:41.803Z`); `nil` for any other text.
func timestampSeconds(_ text: String) -> Double? {
    let parts = text.split(whereSeparator: { "-T:Z".contains($0) })
    guard text.hasSuffix("Z"), parts.count == 6,
          let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
          let hour = Int(parts[3]), let minute = Int(parts[4]), let second = Double(parts[5]),
          (1...12).contains(month), (1...31).contains(day) else { return nil }
    // Days from the civil date (Howard Hinnant's algorithm), proleptic Gregorian calendar.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Double(days * 86_400 + hour * 3600 + minute * 60) + second
}

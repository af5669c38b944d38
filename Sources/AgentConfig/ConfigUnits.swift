/// Durations and sizes as people write them in the configuration file.
enum ConfigUnits {
    private static let durationUnits: [(suffix: String, seconds: Double)] = [
        ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400),
    ]
    private static let sizeUnits: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("kB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000),
    ]

    /// Seconds in `500ms`, `1s`, `1.5m`, `6h`, `1d`, or a bare number of seconds; `nil` otherwise.
    static func seconds(_ text: String) -> Double? {
        let trimmed = text.filter { $0 != " " }
        let unit = durationUnits.first { trimmed.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(trimmed.dropLast(unit.suffix.count)), number.isFinite, number >= 0 else { return nil }
        return number * unit.seconds
    }

    /// Bytes in `4096`, `512KiB`, `10MiB`, `1GiB` (or decimal kB, MB, GB); `nil` otherwise.
    static func bytes(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }
        let unit = sizeUnits.first { trimmed.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(trimmed.dropLast(unit.suffix.count)), number.isFinite, number >= 0,
              number * Double(unit.bytes) < Double(Int.max) else { return nil }
        let bytes = number * Double(unit.bytes)
        return bytes == bytes.rounded() ? Int(bytes) : nil
    }

    /// `250ms`, `1s`, `90s`, for messages.
    static func format(seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds == seconds.rounded() { return "\(Int(seconds))s" }
        return "\(seconds)s"
    }
}

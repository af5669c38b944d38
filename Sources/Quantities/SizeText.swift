/// Sizes written the way people write them: `4096`, `512KiB`, `10MiB`, `1GiB`, or decimal `kB`,
/// `MB`, `GB`. A bare number means bytes. The one grammar for sizes in configuration files.
public enum SizeText {
    private static let units: [(suffix: String, bytes: Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("kB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000),
    ]

    /// Bytes in `text`; `nil` when it is not a whole, non-negative number of bytes.
    public static func bytes(_ text: String) -> Int? {
        let trimmed = text.filter { $0 != " " }
        let unit = units.first { trimmed.hasSuffix($0.suffix) } ?? ("", 1)
        guard let number = Double(trimmed.dropLast(unit.suffix.count)), number.isFinite, number >= 0,
              number * Double(unit.bytes) < Double(Int.max) else { return nil }
        let bytes = number * Double(unit.bytes)
        return bytes == bytes.rounded() ? Int(bytes) : nil
    }
}

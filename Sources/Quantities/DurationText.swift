/// Durations written the way people write them: `500ms`, `1s`, `1.5s`, `2m`, `1h`, `1d`, `250us`.
/// A bare number means seconds. The one grammar for durations: command-line options
/// (`--min-time 250us`), the agent's configuration (`min_time: 250us`) and profiles read it.
public enum DurationText {
    /// Why a text is not a duration.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The text is not a number followed by a unit.
        case notADuration(String)
        /// The unit is not one of `us`, `ms`, `s`, `m`, `h`, `d`.
        case unknownUnit(String)

        /// A one-line explanation with an example.
        public var description: String {
            switch self {
            case let .notADuration(text): "'\(text)' is not a duration (examples: 500ms, 1s, 2m)"
            case let .unknownUnit(unit): "unknown unit '\(unit)' (use us, ms, s, m, h or d)"
            }
        }
    }

    private static let nanosecondsPerUnit: [String: Double] = [
        "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "": 1e9, "m": 60e9, "min": 60e9, "h": 3600e9, "d": 86_400e9,
    ]

    /// Parses `text` into a duration (which may be zero; callers decide what they accept).
    public static func parse(_ text: String) throws(ParseError) -> Duration {
        let trimmed = text.trimmingSpacesString
        let numberPart = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = String(trimmed.dropFirst(numberPart.count)).trimmingSpacesString
        guard !numberPart.isEmpty, let value = Double(numberPart), value.isFinite else {
            throw .notADuration(text)
        }
        guard let scale = nanosecondsPerUnit[unit] else { throw .unknownUnit(unit) }
        let nanoseconds = value * scale
        guard nanoseconds < 1e18 else { throw .notADuration(text) }
        return .nanoseconds(Int64(nanoseconds.rounded()))
    }

    /// Seconds in `text`, or `nil` when it is not a duration.
    public static func seconds(_ text: String) -> Double? {
        guard let duration = try? parse(text) else { return nil }
        return Double(nanoseconds(duration)) / 1e9
    }

    /// Nanoseconds in `duration` (negative durations give negative values).
    public static func nanoseconds(_ duration: Duration) -> Int64 {
        let components = duration.components
        return components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// A compact form for messages: `500ms`, `1s`, `2m`, `1d`.
    public static func format(_ duration: Duration) -> String {
        let nanoseconds = nanoseconds(duration)
        for (unit, scale) in [
            ("d", Int64(86_400e9)), ("h", Int64(3600e9)), ("m", 60_000_000_000), ("s", 1_000_000_000), ("ms", 1_000_000),
            ("us", 1_000),
        ] where nanoseconds >= scale && nanoseconds % scale == 0 {
            return "\(nanoseconds / scale)\(unit)"
        }
        return "\(nanoseconds)ns"
    }

    /// `format` of a number of seconds.
    public static func format(seconds: Double) -> String {
        format(.nanoseconds(Int64((seconds * 1e9).rounded())))
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate var trimmingSpacesString: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

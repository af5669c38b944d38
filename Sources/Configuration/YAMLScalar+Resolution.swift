/// What a scalar means beyond its text, as Yams' `Node.bool`, `.int` and `.float` read it (the
/// rules the configuration was first written against): only a plain scalar without an explicit
/// `!!str` tag is a boolean, a number or null, so `"true"` and `'5'` stay text.
extension YAMLScalar {
    /// The tag `!!str` expands to.
    public static let stringTag = "tag:yaml.org,2002:str"

    /// Whether the text alone decides what the scalar is: plain, and not tagged `!!str`.
    public var isResolvable: Bool {
        style == .plain && tag != Self.stringTag
    }

    /// Whether the scalar is null: plain `~`, `null` or nothing at all.
    public var isNull: Bool {
        isResolvable && ["", "~", "null"].contains(text)
    }

    /// `true`, `yes`, `on` and `false`, `no`, `off` in any letter case (YAML 1.1, as Yams reads them).
    public var bool: Bool? {
        guard isResolvable else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    /// A whole number: decimal with an optional sign, `0x` hex, `0o` or leading-`0` octal, `0b`
    /// binary, `_` separators, or sexagesimal `1:30` (= 90), as Yams reads them.
    public var int: Int? {
        guard isResolvable else { return nil }
        let signed = text.filter { $0 != "_" }
        if signed == "0" { return 0 }
        let negative = signed.hasPrefix("-")
        let digits = signed.dropFirst(negative || signed.hasPrefix("+") ? 1 : 0)
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where digits.hasPrefix(prefix) {
            return Int((negative ? "-" : "") + digits.dropFirst(prefix.count), radix: radix)
        }
        if digits.contains(":") {
            return Self.sexagesimalInt(signed)
        }
        return Int(signed)
    }

    /// A number: what Swift's `Double(_:)` reads, `_` separators, `.inf`, `-.inf`, `.nan`, or
    /// sexagesimal `1:30.5`, as Yams reads them.
    public var float: Double? {
        guard isResolvable else { return nil }
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default:
            let number = text.filter { $0 != "_" }
            if number.contains(":") { return Self.sexagesimalDouble(number) }
            return Double(number)
        }
    }

    /// `[-+]a:b:c` in base 60 as whole numbers; `nil` when a part is not a number or the total overflows.
    private static func sexagesimalInt(_ text: String) -> Int? {
        let negative = text.hasPrefix("-")
        var value = 0
        for component in text.dropFirst(negative || text.hasPrefix("+") ? 1 : 0).split(separator: ":", omittingEmptySubsequences: false) {
            guard let part = Int(component, radix: 10) else { return nil }
            let (shifted, overflowShift) = value.multipliedReportingOverflow(by: 60)
            let (sum, overflowSum) = shifted.addingReportingOverflow(part)
            guard !overflowShift, !overflowSum else { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    /// `[-+]a:b:c.d` in base 60; `nil` when a part is not a number.
    private static func sexagesimalDouble(_ text: String) -> Double? {
        let negative = text.hasPrefix("-")
        var value = 0.0
        for component in text.dropFirst(negative || text.hasPrefix("+") ? 1 : 0).split(separator: ":", omittingEmptySubsequences: false) {
            guard let part = Double(component) else { return nil }
            value = value * 60 + part
        }
        return negative ? -value : value
    }
}

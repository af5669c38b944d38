/// Prometheus' text exposition format, version 0.0.4: for each family a `# HELP` and a `# TYPE`
/// line, then one `name{label="value",...} value` line per series.
///
/// Escaping follows the format: in help text `\` and line feed become `\\` and `\n`; in label
/// values `\`, `"` and line feed become `\\`, `\"` and `\n`. Values are Go-parsable floats
/// (`NaN`, `+Inf`, `-Inf` for the special ones; whole numbers without a fraction).
public enum ExpositionText {
    /// Appends `family`'s lines to `output`.
    public static func append(_ family: MetricFamily, to output: inout [UInt8]) {
        output.append(contentsOf: "# HELP ".utf8)
        output.append(contentsOf: family.name.utf8)
        output.append(UInt8(ascii: " "))
        appendEscaped(family.help, quotes: false, to: &output)
        output.append(contentsOf: "\n# TYPE ".utf8)
        output.append(contentsOf: family.name.utf8)
        output.append(UInt8(ascii: " "))
        output.append(contentsOf: family.kind.rawValue.utf8)
        output.append(UInt8(ascii: "\n"))
        for series in family.series {
            output.append(contentsOf: family.name.utf8)
            if !series.labels.isEmpty {
                output.append(UInt8(ascii: "{"))
                for (index, label) in series.labels.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    output.append(contentsOf: label.name.utf8)
                    output.append(contentsOf: "=\"".utf8)
                    appendEscaped(label.value, quotes: true, to: &output)
                    output.append(UInt8(ascii: "\""))
                }
                output.append(UInt8(ascii: "}"))
            }
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: number(series.value).utf8)
            output.append(UInt8(ascii: "\n"))
        }
    }

    /// `value` as the format writes it.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// Appends `text` escaped for a help line (`quotes: false`) or a label value (`quotes: true`).
    public static func appendEscaped(_ text: String, quotes: Bool, to output: inout [UInt8]) {
        // Help texts and most label values need no escape: copy them whole.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quotes && $0 == UInt8(ascii: "\"")) }) else {
            output.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): output.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\"") where quotes: output.append(contentsOf: #"\""#.utf8)
            default: output.append(byte)
            }
        }
    }
}

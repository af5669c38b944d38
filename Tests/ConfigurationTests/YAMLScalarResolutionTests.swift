import Configuration
import Testing

/// Booleans, numbers and null as Yams' `Node.bool`, `.int` and `.float` read them.
@Suite struct YAMLScalarResolutionTests {
    private func plain(_ text: String) -> YAMLScalar { YAMLScalar(text) }

    @Test func booleansInYAML11Spellings() {
        for text in ["true", "True", "TRUE", "yes", "Yes", "on", "ON"] { #expect(plain(text).bool == true, "\(text)") }
        for text in ["false", "False", "no", "NO", "off", "Off"] { #expect(plain(text).bool == false, "\(text)") }
        for text in ["y", "1", "maybe", ""] { #expect(plain(text).bool == nil, "\(text)") }
    }

    @Test func onlyPlainUntaggedScalarsResolve() {
        for style in [YAMLScalar.Style.singleQuoted, .doubleQuoted, .literal, .folded] {
            let quoted = YAMLScalar("true", style: style)
            #expect(quoted.bool == nil && !quoted.isNull)
            #expect(YAMLScalar("5", style: style).int == nil && YAMLScalar("5", style: style).float == nil)
            #expect(!YAMLScalar("", style: style).isNull)
        }
        #expect(YAMLScalar("true", tag: YAMLScalar.stringTag).bool == nil)
        #expect(YAMLScalar("5", tag: YAMLScalar.stringTag).int == nil)
    }

    @Test func integersInEveryNotationYamsReads() {
        let cases: [(String, Int?)] = [
            ("0", 0), ("42", 42), ("-17", -17), ("+8", 8), ("1_000_000", 1_000_000), ("0x1F", 31), ("-0x10", -16),
            ("0o17", 15), ("017", 15), ("0b101", 5), ("1:30", 90), ("-1:00:00", -3600), ("09", nil), ("1.5", nil),
            ("1e3", nil), ("ten", nil), ("", nil), ("99999999999999999999", nil), ("9999999999999999:0:0", nil),
        ]
        for (text, expected) in cases { #expect(plain(text).int == expected, "\(text)") }
    }

    @Test func floatsInEveryNotationYamsReads() {
        let cases: [(String, Double?)] = [
            ("1.5", 1.5), ("-0.25", -0.25), ("3", 3), ("1e3", 1000), ("1_000.5", 1000.5), ("1:30.5", 90.5),
            (".inf", .infinity), ("-.Inf", -.infinity), ("fast", nil), ("", nil),
        ]
        for (text, expected) in cases { #expect(plain(text).float == expected, "\(text)") }
        #expect(plain(".nan").float?.isNaN == true)
    }

    @Test func nullIsTildeNullOrNothing() {
        for text in ["", "~", "null"] { #expect(plain(text).isNull, "\(text)") }
        for text in ["Null", "none", "0"] { #expect(!plain(text).isNull, "\(text)") }
    }
}

import MetricsExposition
import Testing

/// The JSON reader for the suites' lines: what it reads, and that bad input is `nil`, not a crash.
@Suite struct JSONLineValueTests {
    private func read(_ text: String) -> JSONLineValue? {
        JSONLineValue(line: Array(text.utf8))
    }

    @Test func readsObjectsArraysNumbersStringsAndLiterals() throws {
        let value = try #require(read(#"{"a": [1, -2.5e3, 0.125], "b": {"c": "x\"y\\z\n\u00e9\ud83d\ude00"}, "t": true, "f": false, "n": null}"# + "\n"))
        #expect(value["a"] == .array([.number(1), .number(-2500), .number(0.125)]))
        #expect(value["b"]?["c"]?.string == "x\"y\\z\né😀")
        #expect(value["t"]?.bool == true)
        #expect(value["f"]?.bool == false)
        #expect(value["n"] == .null)
        #expect(value["missing"] == nil)
    }

    @Test(arguments: [
        "", "{", "{\"a\":}", "{\"a\" 1}", "[1,]", "[1 2]", "01", "1.", "-", ".5", "1e", "+1", "nul", "tru",
        "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"a\nb\"", "{} {}", "\"unterminated", "1e999",
        String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
    ])
    func badInputIsNil(_ text: String) {
        #expect(read(text) == nil, "\(text.prefix(40))")
    }

    @Test func deepNestingStopsAtTheLimit() {
        let inside = String(repeating: "[", count: JSONLineValue.maxDepth) + String(repeating: "]", count: JSONLineValue.maxDepth)
        #expect(read(inside) != nil)
        #expect(read("[" + inside + "]") == nil)
    }
}

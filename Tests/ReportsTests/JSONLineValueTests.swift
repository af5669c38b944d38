import Foundation
import Reports
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

/// Mutations of a real `bench` line (bytes flipped, inserted, deleted, the line cut short), from
/// a fixed seed: the reader never crashes, and whatever it accepts Foundation's JSON parser
/// accepts too (it never reads garbage as a record).
@Suite struct JSONLineValueMutationTests {
    private static let line = Array(#"{"schema":"edgeprobe/1","type":"bench","ts":"2026-12-05T10:00:01.250Z","name":"tiny-conv","gflops":3.5,"latency_us":{"n":20,"p50":120.5,"p90":150,"min":1e2,"cv":-0.04},"tags":["a\"b",true,null,false,[]]}"#.utf8)

    /// xorshift64*, so every run sees the same mutations.
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return Int((state &* 2_685_821_657_736_338_717) >> 33) % bound
        }
    }

    @Test(.timeLimit(.minutes(1))) func mutatedLinesNeverCrashAndNeverReadAsMoreThanFoundationReads() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        let alphabet = Array(#"{}[]":,.-+eE0123456789tfnul\ "#.utf8) + [0, 0x0A, 0x7F, 0xC3, 0xFF]
        var accepted = 0
        for _ in 0..<5000 {
            var bytes = Self.line
            for _ in 0..<(1 + generator.next(4)) {
                let position = generator.next(bytes.count)
                switch generator.next(4) {
                case 0: bytes[position] = alphabet[generator.next(alphabet.count)]
                case 1: bytes.insert(alphabet[generator.next(alphabet.count)], at: position)
                case 2: bytes.remove(at: position)
                default: bytes.removeSubrange(position...)
                }
                if bytes.isEmpty { break }
            }
            guard JSONLineValue(line: bytes) != nil else { continue }
            accepted += 1
            let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(foundation != nil, "accepted what Foundation refuses: \(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 0, "no mutation stayed valid JSON: the check above never ran")
    }
}

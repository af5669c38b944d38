import FoundationEssentials
import Testing
@testable import Reports

/// `JSONLineEncoder` must write byte for byte what Foundation's `JSONEncoder` writes with the
/// options records used before it (sorted keys, no escaped slashes, snake_case keys).
@Suite struct JSONLineEncoderTests {
    private struct Inner: Codable, Equatable {
        var coreIndex: Int
        var curHz: UInt64?
        var label: String
    }

    private struct Outer: Encodable {
        var collectUs: Double
        var runID: String
        var sizeMiB: Int64
        var p50Us: Float
        var temp1Input: Int8
        var isThrottled: Bool
        var missingOptional: Double?
        @Nullable var tempC: Double?
        var cores: [Inner]
        var unavailable: [String: String]
        var countsByName: [String: Int]
        var nestedArrays: [[Double]]
        var byIndex: [Int: String]
        var empty: [String]
        var text: String
    }

    private func foundationLine<Value: Encodable>(_ value: Value, snakeCase: Bool = true) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func line<Value: Encodable>(_ value: Value, keys: JSONLineEncoder.KeyStrategy = .snakeCase) throws -> String {
        String(decoding: try JSONLineEncoder(keyStrategy: keys).encode(value), as: UTF8.self)
    }

    private var sample: Outer {
        Outer(
            collectUs: 107.25, runID: "a/b", sizeMiB: -9_007_199_254_740_993, p50Us: 0.1, temp1Input: -3,
            isThrottled: true, missingOptional: nil, tempC: nil,
            cores: [Inner(coreIndex: 0, curHz: 1_500_000_000, label: "Core 0"), Inner(coreIndex: 1, curHz: nil, label: "é ✓")],
            unavailable: ["cpu.utilization": "needs two readings", "temperatures": "no hwmon or thermal zone",
                          "camelKey": "kept as written"],
            countsByName: ["zeta": 1, "alpha": 2, "mixedCase": 3],
            nestedArrays: [[1, 2.5], [], [1e-05, 1e300, -0.0, 123_456_789.125]],
            byIndex: [2: "two", 10: "ten"], empty: [],
            text: "quote \" backslash \\ newline \n tab \t bell \u{07} slash / emoji 🙂")
    }

    @Test func matchesFoundationWithSnakeCaseKeys() throws {
        #expect(try line(sample) == foundationLine(sample))
    }

    @Test func matchesFoundationWithKeysAsWritten() throws {
        #expect(try line(sample, keys: .unchanged) == foundationLine(sample, snakeCase: false))
    }

    @Test func topLevelScalarsArraysAndDictionaries() throws {
        #expect(try line(48.0) == "48")
        #expect(try line("x") == #""x""#)
        #expect(try line([1, 2, 3]) == "[1,2,3]")
        #expect(try line(["bKey": 1, "aKey": 2]) == #"{"aKey":2,"bKey":1}"#)
        #expect(try line([Inner]()) == "[]")
    }

    /// An object with one member whose key is `name`, as a property named `name` would encode.
    private struct KeyProbe: Encodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        let name: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(1, forKey: Key(stringValue: name))
        }
    }

    @Test(arguments: ["latencyUs", "runID", "sizeMiB", "p50Us", "temp1Input", "URLValue", "a", "already_snake",
                      "hottestC", "ALLCAPS", "endsWithCAPS", "x2Y", "_leading", "trailing_"])
    func snakeCaseSplitsWordsLikeFoundation(name: String) throws {
        #expect(try line(KeyProbe(name: name)) == foundationLine(KeyProbe(name: name)))
    }

    /// Every scalar type as array elements and as single values: the unkeyed and single-value
    /// containers share one scalar encoding, which must write what Foundation writes.
    @Test func everyScalarTypeInArraysAndAsSingleValues() throws {
        struct Scalars: Encodable {
            var int8s: [Int8] = [-128, 127], int16s: [Int16] = [-32_768, 7], int32s: [Int32] = [.min, .max]
            var int64s: [Int64] = [.min, .max], ints: [Int] = [-1, 0], uints: [UInt] = [0, .max], uint8s: [UInt8] = [255]
            var uint16s: [UInt16] = [65_535], uint32s: [UInt32] = [.max], uint64s: [UInt64] = [.max]
            var floats: [Float] = [0.1, -2.5], doubles: [Double] = [1e-7, 3], bools: [Bool] = [true, false]
            var strings: [String] = ["a\"b", ""], optionals: [Int?] = [1, nil]
        }
        #expect(try line(Scalars()) == foundationLine(Scalars()))
        #expect(try line(Int8(-5)) == "-5")
        #expect(try line(UInt16(65_535)) == "65535")
        #expect(try line(Float(0.5)) == "0.5")
        #expect(try line(true) == "true")
        #expect(try line(Int?.none) == "null")
    }

    @Test func nonFiniteNumbersThrowWithThePath() throws {
        struct Probe: Encodable { var values: [Double] }
        #expect(throws: EncodingError.self) { try JSONLineEncoder().encode(Probe(values: [1, .infinity])) }
        #expect(throws: EncodingError.self) { try JSONLineEncoder().encode(Float.nan) }
    }

    @Test func outputParsesBackToTheSameValues() throws {
        let cores = sample.cores
        let decoded = try JSONDecoder().decode([Inner].self, from: Data(try JSONLineEncoder(keyStrategy: .unchanged).encode(cores)))
        #expect(decoded == cores)
    }
}

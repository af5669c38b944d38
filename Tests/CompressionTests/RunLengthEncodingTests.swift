import Testing
@testable import Compression

@Suite("Run-length encoding")
struct RunLengthEncodingTests {
    @Test("random run-structured bytes round-trip exactly")
    func randomRoundTrip() throws {
        var random = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            var bytes = [UInt8]()
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                let value = UInt8.random(in: 0...3, using: &random)
                bytes += repeatElement(value, count: Int.random(in: 1...300, using: &random))
            }
            #expect(try RunLengthEncoding.decode(RunLengthEncoding.encode(bytes)) == bytes)
        }
    }

    @Test("empty, single-byte and all-equal inputs round-trip; long runs shrink")
    func edgeCases() throws {
        #expect(try RunLengthEncoding.decode(RunLengthEncoding.encode([])) == [])
        #expect(try RunLengthEncoding.decode(RunLengthEncoding.encode([255])) == [255])
        let zeros = [UInt8](repeating: 0, count: 100_000)
        let encoded = RunLengthEncoding.encode(zeros)
        #expect(encoded.count == 3 + 1 + 3)  // varint total, value, varint run
        #expect(try RunLengthEncoding.decode(encoded) == zeros)
    }

    @Test("runs that overshoot the stated length, or truncated input, are errors")
    func badInput() {
        var writer = ByteWriter()
        writer.writeVarint(3)
        writer.write(UInt8(9))
        writer.writeVarint(5)  // a run of 6 into a length of 3
        #expect(throws: CodecError.invalidField(name: "run length", value: 5, allowed: "0...2")) {
            try RunLengthEncoding.decode(writer.bytes)
        }
        let valid = RunLengthEncoding.encode([1, 1, 2, 3, 3, 3])
        for length in 0..<valid.count {
            #expect(throws: CodecError.self) { try RunLengthEncoding.decode(Array(valid[0..<length])) }
        }
    }
}

import Testing
import Glibc
@testable import Compression

@Suite("Compressed model file")
struct CompressedModelFileTests {
    /// A small model in every encoding: the shapes of the digits CNN, random weights.
    private func sampleFile(seed: UInt64 = 51) -> (file: CompressedModelFile, weights: [String: [Float]]) {
        var random = SeededGenerator(seed: seed)
        let conv1 = random.weights(8 * 3 * 3 * 1, standardDeviation: 0.3)
        let conv2 = random.weights(16 * 3 * 3 * 8, standardDeviation: 0.1)
        let dense = random.weights(10 * 256, standardDeviation: 0.05)
        let prunedDense = MagnitudePruning.prune(dense, sparsity: 0.9).applied(to: dense)
        let prunedConv2 = MagnitudePruning.prune(conv2, sparsity: 0.6).applied(to: conv2)
        let file = CompressedModelFile(sections: [
            ModelSection(name: "meta", encoding: .bytes, shape: [], payload: Array(#"{"model":"digits"}"#.utf8)),
            ModelSection(name: "conv1.weight", weights: conv1, shape: [8, 3, 3, 1], encoding: .float32),
            ModelSection(name: "conv1.int8", weights: conv1, shape: [8, 3, 3, 1], encoding: .int8PerChannel),
            ModelSection(name: "conv2.weight", weights: conv2, shape: [16, 3, 3, 8], encoding: .sharedWeights(bits: 4)),
            ModelSection(name: "conv2.sparse", weights: prunedConv2, shape: [16, 72], encoding: .sparseFloat32(gapBits: 3)),
            ModelSection(name: "dense.weight", weights: prunedDense, shape: [10, 256],
                         encoding: .sparseSharedWeights(bits: 5, gapBits: 4)),
        ])
        return (file, ["conv1": conv1, "conv2": conv2, "prunedConv2": prunedConv2, "prunedDense": prunedDense])
    }

    // MARK: - Round trips

    @Test("the smallest of a layer's gap widths is the section encoded alone at the width with the fewest payload bytes")
    func smallestGapWidth() {
        var random = SeededGenerator(seed: 7)
        let dense = random.weights(300 * 100, standardDeviation: 0.05)
        let pruned = MagnitudePruning.prune(dense, sparsity: 0.92).applied(to: dense)
        // Clustered by k-means (more distinct values than 2^bits) and kept exactly (few distinct values).
        let shared = pruned.map { (weight: Float) -> Float in weight == 0 ? 0 : (weight > 0 ? 0.125 : -0.25) }
        let cases: [([Float], (Int) -> LayerEncoding)] = [
            (pruned, { .sparseSharedWeights(bits: 5, gapBits: $0) }),
            (shared, { .sparseSharedWeights(bits: 2, gapBits: $0) }),
            (pruned, { .sparseFloat32(gapBits: $0) }),
        ]
        for (weights, encoding) in cases {
            let alone = (2...8).map { ModelSection(name: "fc.weight", weights: weights, shape: [100, 300], encoding: encoding($0)) }
            let expected = alone.min { $0.payload.count < $1.payload.count }!
            let smallest = ModelSection.smallest(name: "fc.weight", weights: weights, shape: [100, 300], gapBitCandidates: 2...8,
                                                 encoding: encoding)
            #expect(smallest == expected, "\(encoding(2))")
            // The widths give different sizes, so picking one is a choice.
            #expect(Set(alone.map { $0.payload.count }).count > 1)
        }
    }


    @Test("a written file parses back to the same sections")
    func fileRoundTrip() throws {
        let (file, _) = sampleFile()
        let bytes = file.serialized()
        #expect(Array(bytes.prefix(8)) == CompressedModelFile.magic)
        #expect(try CompressedModelFile(parsing: bytes) == file)
        #expect(try CompressedModelFile(parsing: CompressedModelFile(sections: []).serialized()).sections == [])
    }

    @Test("each layer encoding decodes to what its stage promises")
    func layerEncodings() throws {
        let (written, weights) = sampleFile()
        let file = try CompressedModelFile(parsing: written.serialized())

        // float32 and sparse float32 are lossless, bit for bit.
        #expect(try file.section(named: "conv1.weight").decodedWeights() == weights["conv1"]!)
        #expect(try file.section(named: "conv2.sparse").decodedWeights() == weights["prunedConv2"]!)

        // int8: the exact quantized values and scales.
        let int8 = try file.section(named: "conv1.int8").decodedInt8()
        #expect(int8 == PerChannelWeightQuantization.quantize(weights["conv1"]!, outputChannels: 8))
        #expect(try file.section(named: "conv1.int8").decodedWeights() == int8.dequantized())

        // Shared weights: exactly the k-means codebook and indices.
        let shared = try file.section(named: "conv2.weight").decodedSharedWeights()
        let expected = KMeansWeightSharing.cluster(weights["conv2"]!, bits: 4)
        #expect(shared.codebook == expected.codebook && shared.indices == expected.indices)
        #expect(try file.section(named: "conv2.weight").decodedWeights() == expected.reconstructed())

        // Deep Compression: zeros stay exactly where pruning put them; nonzeros are shared values.
        let pruned = weights["prunedDense"]!
        let decoded = try file.section(named: "dense.weight").decodedWeights()
        let nonzero = pruned.filter { $0 != 0 }
        let sharedNonzero = KMeansWeightSharing.cluster(nonzero, bits: 5).reconstructed()
        #expect(decoded.filter { $0 != 0 } == sharedNonzero.filter { $0 != 0 })
        #expect(zip(decoded, pruned).allSatisfy { $1 != 0 || $0 == 0 })
    }

    @Test("Deep Compression stages shrink the digits-sized dense layer more than 10x")
    func compressionRate() {
        let (file, weights) = sampleFile()
        let denseBytes = weights["prunedDense"]!.count * 4
        let compressedBytes = file.sections.first { $0.name == "dense.weight" }!.payload.count
        #expect(compressedBytes * 10 < denseBytes)
    }

    @Test("sections are looked up by name; a missing one is a named error")
    func lookup() throws {
        let (file, _) = sampleFile()
        #expect(try file.section(named: "meta").payload == Array(#"{"model":"digits"}"#.utf8))
        #expect(throws: ModelFileError.sectionNotFound(name: "nope")) { try file.section(named: "nope") }
        #expect(throws: ModelFileError.self) { try file.section(named: "meta").decodedWeights() }
        #expect(throws: ModelFileError.self) { try file.section(named: "conv1.weight").decodedInt8() }
    }

    @Test("the file can be written to disk and read back")
    func diskRoundTrip() throws {
        let (file, _) = sampleFile()
        let path = "/tmp/edgeprobe-compression-test-\(getpid()).epcm"
        try file.write(to: path)
        defer { unlink(path) }
        #expect(try CompressedModelFile(contentsOf: path) == file)
        #expect(throws: ModelFileError.self) { try CompressedModelFile(contentsOf: "/nonexistent/model.epcm") }
    }

    // MARK: - Bad files

    @Test("wrong magic, wrong version, truncation, trailing bytes and corruption each get their own error")
    func namedErrors() {
        let bytes = sampleFile().file.serialized()

        var wrongMagic = bytes
        wrongMagic[1] = UInt8(ascii: "X")
        #expect(throws: ModelFileError.badMagic(found: [0x89, 0x58, 0x50, 0x43, 0x4D, 0x0D, 0x0A, 0x1A])) {
            try CompressedModelFile(parsing: wrongMagic)
        }
        #expect(throws: ModelFileError.badMagic(found: Array("PK".utf8))) { try CompressedModelFile(parsing: Array("PK".utf8)) }

        var wrongVersion = bytes
        wrongVersion[8] = 2
        #expect(throws: ModelFileError.unsupportedVersion(found: 2, supported: 1)) {
            try CompressedModelFile(parsing: wrongVersion)
        }

        #expect(throws: ModelFileError.truncated(expectedBytes: UInt64(bytes.count), actualBytes: bytes.count - 1)) {
            try CompressedModelFile(parsing: Array(bytes.dropLast()))
        }
        #expect(throws: ModelFileError.truncated(expectedBytes: 28, actualBytes: 0)) { try CompressedModelFile(parsing: []) }
        #expect(throws: ModelFileError.trailingBytes(declaredBytes: UInt64(bytes.count), actualBytes: bytes.count + 1)) {
            try CompressedModelFile(parsing: bytes + [0])
        }

        var corrupt = bytes
        corrupt[100] ^= 0x10
        #expect(throws: ModelFileError.self) { try CompressedModelFile(parsing: corrupt) }
        do {
            _ = try CompressedModelFile(parsing: corrupt)
        } catch {
            guard case .checksumMismatch = error else {
                Issue.record("expected a checksum mismatch, got \(error)")
                return
            }
            #expect(error.description.contains("corrupt"))
        }
    }

    @Test("error descriptions name the problem")
    func descriptions() {
        #expect(ModelFileError.unsupportedVersion(found: 3, supported: 1).description.contains("version 3"))
        #expect(ModelFileError.truncated(expectedBytes: 100, actualBytes: 40).description.contains("truncated"))
        #expect(ModelFileError.checksumMismatch(stored: 0xAB, computed: 0xCD).description.contains("0xcd"))
        #expect(ModelFileError.badMagic(found: [0x50, 0x4B]).description.contains("0x50 0x4b"))
        #expect(ModelFileError.invalidPayload(section: "conv1", reason: .truncated(what: "codebook")).description
            .contains("section \"conv1\": input ended inside codebook"))
    }

    @Test("a consistent checksum over a malformed table is still rejected with the field named")
    func malformedTable() {
        // Re-seal a file whose first section's encoding tag is unknown: only the table check can catch it.
        var bytes = CompressedModelFile(sections: [
            ModelSection(name: "w", weights: [1, 2], shape: [2], encoding: .float32),
        ]).serialized()
        let encodingOffset = CompressedModelFile.headerByteCount + 2 + 1
        bytes[encodingOffset] = 99
        reseal(&bytes)
        #expect(throws: ModelFileError.malformed(field: "section \"w\" encoding", problem: "unknown encoding 99")) {
            try CompressedModelFile(parsing: bytes)
        }

        // A payload length pointing past the checksum.
        var overlong = CompressedModelFile(sections: [
            ModelSection(name: "w", weights: [1, 2], shape: [2], encoding: .float32),
        ]).serialized()
        let lengthOffset = CompressedModelFile.headerByteCount + 2 + 1 + 2 + 4 + 8
        overlong[lengthOffset] = 200
        reseal(&overlong)
        #expect(throws: ModelFileError.self) { try CompressedModelFile(parsing: overlong) }
    }

    // MARK: - Fuzzing

    @Test("3000 random byte flips and truncations: always an error, never a crash or a silent success")
    func fuzz() throws {
        let original = sampleFile().file.serialized()
        var random = SeededGenerator(seed: 52)
        var errorKinds = [String: Int]()
        for trial in 0..<3000 {
            var bytes = original
            if trial % 4 == 3 {
                bytes.removeLast(Int.random(in: 1..<bytes.count, using: &random))
            } else {
                // 1 to 3 flipped bytes: CRC-32 detects every such error in a file this size.
                for _ in 0...Int.random(in: 0...2, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
                }
            }
            do {
                let parsed = try CompressedModelFile(parsing: bytes)
                Issue.record("trial \(trial): a damaged file parsed: \(parsed.sections.map(\.name))")
            } catch {
                #expect(!error.description.isEmpty)
                errorKinds[kind(of: error), default: 0] += 1
            }
        }
        // The damage was caught by the checks meant for it, not by one catch-all.
        print("fuzz: errors by kind: \(errorKinds.sorted { $0.key < $1.key })")
        #expect(errorKinds["checksumMismatch", default: 0] > 1000)
        #expect(errorKinds["truncated", default: 0] >= 700)
        #expect(errorKinds["badMagic", default: 0] > 0)
    }

    @Test("damaged payloads under a valid checksum decode to errors, never crashes")
    func payloadFuzz() {
        let (file, _) = sampleFile()
        var random = SeededGenerator(seed: 53)
        var failures = 0
        for trial in 0..<1500 {
            let section = file.sections[1 + trial % (file.sections.count - 1)]
            var payload = section.payload
            if trial % 3 == 0 {
                payload.removeLast(Int.random(in: 1...payload.count, using: &random))
            } else {
                payload[Int.random(in: 0..<payload.count, using: &random)] ^= UInt8.random(in: 1...255, using: &random)
            }
            let damaged = ModelSection(name: section.name, encoding: section.encoding, shape: section.shape, payload: payload)
            do {
                _ = try damaged.decodedWeights()
            } catch {
                failures += 1
                guard case .invalidPayload(let name, _) = error else {
                    Issue.record("expected invalidPayload, got \(error)")
                    continue
                }
                #expect(name == section.name)
            }
        }
        // Truncations always fail; a flipped float is still a float, so not every flip can.
        #expect(failures >= 500)
    }

    @Test("a 77-byte sparse section claiming 1.6 billion elements is rejected before anything is allocated")
    func sparseSectionBeyondTheElementLimit() throws {
        // Found by `make fuzz` (model-file): sparse-float32 with no entries and shape [1593835524];
        // decoding it allocated 6.4 GB of implicit zeros.
        let bytes: [UInt8] = [
            0x89, 0x45, 0x50, 0x43, 0x4d, 0x0d, 0x0a, 0x1a, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
            0x4d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x66, 0x63, 0x2e, 0x77, 0x65, 0x69,
            0x67, 0x68, 0x74, 0x04, 0x01, 0x04, 0x00, 0x00, 0x5f, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x0a, 0x39, 0x00, 0x26, 0x10,
            0x2a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0xbf, 0x00, 0x3c, 0xf6, 0x6b, 0xff,
        ]
        #expect(throws: ModelFileError.malformed(
            field: "section \"fc.weight\" shape",
            problem: "the sections describe more than \(CompressedModelFile.maxTotalElementCount) elements in total")
        ) {
            try CompressedModelFile(parsing: bytes)
        }
    }

    @Test("the element limit counts every section together, and a file at the limit still parses")
    func elementLimitIsForTheWholeFile() throws {
        let half = CompressedModelFile.maxTotalElementCount / 2
        let empty = ModelSection(name: "a", encoding: .bytes, shape: [half], payload: [])
        let atLimit = CompressedModelFile(sections: [empty, ModelSection(name: "b", encoding: .bytes, shape: [half], payload: [])])
        #expect(try CompressedModelFile(parsing: atLimit.serialized()).sections.count == 2)
        let beyond = CompressedModelFile(sections: atLimit.sections + [ModelSection(name: "c", encoding: .bytes, shape: [1], payload: [])])
        #expect(throws: ModelFileError.self) { try CompressedModelFile(parsing: beyond.serialized()) }
    }

    /// The case name of an error, to count which check caught the damage.
    private func kind(of error: ModelFileError) -> String {
        switch error {
        case .truncated: "truncated"
        case .badMagic: "badMagic"
        case .unsupportedVersion: "unsupportedVersion"
        case .trailingBytes: "trailingBytes"
        case .checksumMismatch: "checksumMismatch"
        case .malformed: "malformed"
        case .invalidPayload: "invalidPayload"
        case .sectionNotFound: "sectionNotFound"
        case .io: "io"
        }
    }

    /// Recomputes the CRC-32 trailer after a deliberate edit.
    private func reseal(_ bytes: inout [UInt8]) {
        let crc = CRC32.checksum(bytes.dropLast(4))
        for index in 0..<4 { bytes[bytes.count - 4 + index] = UInt8(truncatingIfNeeded: crc >> UInt32(8 * index)) }
    }
}

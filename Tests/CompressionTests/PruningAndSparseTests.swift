import Testing
@testable import Compression

@Suite("Magnitude pruning and sparse forms")
struct PruningAndSparseTests {
    // MARK: - Pruning

    @Test("per-layer pruning removes exactly the requested share, smallest magnitudes first",
          arguments: [0.0, 0.3, 0.5, 0.9, 0.99, 1.0])
    func perLayer(sparsity: Double) {
        var random = SeededGenerator(seed: 21)
        let weights = random.weights(1000)
        let mask = MagnitudePruning.prune(weights, sparsity: sparsity)
        #expect(mask.kept.count == weights.count)
        #expect(weights.count - mask.keptCount == Int((sparsity * 1000).rounded()))
        let keptMagnitudes = zip(weights, mask.kept).filter(\.1).map { abs($0.0) }
        let prunedMagnitudes = zip(weights, mask.kept).filter { !$0.1 }.map { abs($0.0) }
        if let smallestKept = keptMagnitudes.min(), let largestPruned = prunedMagnitudes.max() {
            #expect(smallestKept >= largestPruned)
        }
        let pruned = mask.applied(to: weights)
        #expect(pruned.filter { $0 == 0 }.count == weights.count - mask.keptCount)
    }

    @Test("global pruning uses one threshold across layers, so small-weight layers lose more")
    func global() {
        var random = SeededGenerator(seed: 22)
        let small = random.weights(400, standardDeviation: 0.1)
        let large = random.weights(600, standardDeviation: 1)
        let masks = MagnitudePruning.pruneGlobally([small, large], sparsity: 0.5)
        #expect(masks.map(\.kept.count) == [400, 600])
        #expect(masks.reduce(0) { $0 + $1.kept.count - $1.keptCount } == 500)
        let keptMin = zip(small + large, masks[0].kept + masks[1].kept).filter(\.1).map { abs($0.0) }.min()!
        let prunedMax = zip(small + large, masks[0].kept + masks[1].kept).filter { !$0.1 }.map { abs($0.0) }.max()!
        #expect(keptMin >= prunedMax)
        #expect(masks[0].sparsity > 0.9)
        #expect(masks[1].sparsity < 0.3)
    }

    @Test("pruning an empty layer, ties and already-zero weights")
    func edgeCases() {
        #expect(MagnitudePruning.prune([], sparsity: 0.5).kept == [])
        #expect(MagnitudePruning.prune([], sparsity: 0.5).sparsity == 0)
        // Equal magnitudes: the lower index goes first; zeros go before anything else.
        #expect(MagnitudePruning.prune([1, -1, 1, 0], sparsity: 0.5).kept == [false, true, true, false])
    }

    // MARK: - Relative-index sparse form

    @Test("the relative-index form round-trips exactly, fillers bridging long gaps",
          arguments: [(gapBits: 1, density: 0.5), (3, 0.1), (4, 0.02), (8, 0.001), (5, 1.0)])
    func relativeIndexRoundTrip(gapBits: Int, density: Double) throws {
        var random = SeededGenerator(seed: 23)
        let dense = (0..<5000).map { _ in
            Double.random(in: 0..<1, using: &random) < density ? Float.random(in: -1...1, using: &random) : 0
        }
        let sparse = RelativeIndexedSparse(dense: dense, gapBits: gapBits)
        #expect(sparse.dense() == dense)
        #expect(sparse.storedGaps.allSatisfy { $0 >= 0 && $0 < 1 << gapBits })

        // Entries = nonzeros + fillers, and the fillers are exactly what the long gaps need.
        let positions = dense.indices.filter { dense[$0] != 0 }
        var expectedFillers = 0
        var previous = -1
        for position in positions {
            expectedFillers += (position - previous - 1) / (1 << gapBits)
            previous = position
        }
        #expect(sparse.fillerCount == expectedFillers)
        #expect(sparse.values.count == positions.count + expectedFillers)

        let rebuilt = try RelativeIndexedSparse(
            count: sparse.count, gapBits: gapBits, storedGaps: sparse.storedGaps, values: sparse.values)
        #expect(rebuilt == sparse)
    }

    @Test("the paper's example: 3-bit gaps, a gap of 11 needs one filler")
    func paperExample() {
        var dense = [Float](repeating: 0, count: 16)
        dense[1] = 3.4
        dense[4] = 0.9
        dense[15] = 1.7
        let sparse = RelativeIndexedSparse(dense: dense, gapBits: 3)
        #expect(sparse.positions() == [1, 4, 12, 15])
        #expect(sparse.values == [3.4, 0.9, 0, 1.7])
        #expect(sparse.storedGaps == [1, 2, 7, 2])
    }

    @Test("empty and all-zero vectors have no entries")
    func emptySparse() {
        #expect(RelativeIndexedSparse(dense: [], gapBits: 4).values == [])
        let zeros = RelativeIndexedSparse(dense: [Float](repeating: 0, count: 100), gapBits: 4)
        #expect(zeros.values.isEmpty)
        #expect(zeros.dense() == [Float](repeating: 0, count: 100))
    }

    @Test("inconsistent stored parts are rejected, naming the problem")
    func invalidSparse() {
        #expect(throws: CodecError.invalidField(name: "last sparse position", value: 10, allowed: "0..<10 (the length)")) {
            try RelativeIndexedSparse(count: 10, gapBits: 4, storedGaps: [10], values: [1])
        }
        #expect(throws: CodecError.invalidField(name: "stored gap", value: 16, allowed: "0..<16")) {
            try RelativeIndexedSparse(count: 100, gapBits: 4, storedGaps: [16], values: [1])
        }
        #expect(throws: CodecError.self) {
            try RelativeIndexedSparse(count: 100, gapBits: 4, storedGaps: [1, 2], values: [1])
        }
    }

    // MARK: - CSR

    @Test("CSR keeps the nonzeros row by row and round-trips")
    func csrRoundTrip() {
        var random = SeededGenerator(seed: 24)
        let rows = 16
        let columns = 72
        let dense = (0..<rows * columns).map { _ in
            Bool.random(using: &random) && Bool.random(using: &random) ? Float.random(in: -1...1, using: &random) : 0
        }
        let matrix = CSRMatrix(dense: dense, rows: rows, columns: columns)
        #expect(matrix.dense() == dense)
        #expect(matrix.nonzeroCount == dense.filter { $0 != 0 }.count)
        #expect(matrix.rowStarts.count == rows + 1)
        for row in 0..<rows {
            let columnsInRow = matrix.columnIndices[Int(matrix.rowStarts[row])..<Int(matrix.rowStarts[row + 1])]
            #expect(Array(columnsInRow) == (0..<columns).filter { dense[row * columns + $0] != 0 }.map(Int32.init))
        }
        #expect(CSRMatrix(dense: [], rows: 0, columns: 5).dense() == [])
    }
}

import Testing
@testable import Compression

@Suite("k-means weight sharing")
struct KMeansWeightSharingTests {
    /// Mean squared error between the weights and their shared values.
    private func meanSquaredError(_ weights: [Float], _ shared: SharedWeights) -> Double {
        zip(weights, shared.reconstructed()).reduce(0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(weights.count)
    }

    @Test("codebook has 2^bits sorted entries and every weight maps to its nearest one",
          arguments: [1, 2, 4, 5, 8])
    func nearestAndSorted(bits: Int) {
        var random = SeededGenerator(seed: 31)
        let weights = random.weights(2000, standardDeviation: 0.05)
        let shared = KMeansWeightSharing.cluster(weights, bits: bits)
        #expect(shared.codebook.count == 1 << bits)
        #expect(shared.codebook == shared.codebook.sorted())
        #expect(shared.indices.count == weights.count)
        for (weight, index) in zip(weights, shared.indices) {
            let distance = abs(weight - shared.codebook[Int(index)])
            #expect(shared.codebook.allSatisfy { abs(weight - $0) >= distance })
        }
        #expect(shared.iterations >= 1 && shared.iterations <= 100)
    }

    @Test("reconstruction error decreases as bits increase")
    func errorDecreasesWithBits() {
        var random = SeededGenerator(seed: 32)
        let weights = random.weights(3000)
        let errors = (1...8).map { meanSquaredError(weights, KMeansWeightSharing.cluster(weights, bits: $0)) }
        for (fewer, more) in zip(errors, errors.dropFirst()) {
            #expect(more < fewer)
        }
        #expect(errors[7] < errors[0] / 1000)
    }

    @Test("Lloyd iterations lower the error of the linear initialization and converge")
    func lloydImproves() {
        var random = SeededGenerator(seed: 33)
        let weights = random.weights(3000)
        let initialOnly = KMeansWeightSharing.cluster(weights, bits: 3, maxIterations: 1)
        let converged = KMeansWeightSharing.cluster(weights, bits: 3, maxIterations: 500)
        #expect(initialOnly.iterations == 1)
        #expect(converged.iterations < 500, "assignments stopped changing")
        #expect(meanSquaredError(weights, converged) < meanSquaredError(weights, initialOnly))
        // Converged: each centroid is the mean of its cluster.
        for cluster in converged.codebook.indices {
            let members = zip(weights, converged.indices).filter { Int($0.1) == cluster }.map(\.0)
            guard !members.isEmpty else { continue }
            let mean = members.reduce(0.0) { $0 + Double($1) } / Double(members.count)
            #expect(abs(Double(converged.codebook[cluster]) - mean) < 1e-6)
        }
    }

    @Test("the initialization is linear between the smallest and largest weight")
    func linearInitialization() {
        let shared = KMeansWeightSharing.cluster([-1, 1], bits: 2, maxIterations: 1)
        let expected: [Float] = [-1, -1.0 / 3, 1.0 / 3, 1]
        #expect(zip(shared.codebook, expected).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(shared.codebook.first == -1 && shared.codebook.last == 1)
        #expect(shared.indices == [0, 3])
    }

    @Test("pruned layers: clustering only the kept weights leaves no centroid at zero")
    func prunedLayer() {
        var random = SeededGenerator(seed: 34)
        let weights = random.weights(2000)
        let pruned = MagnitudePruning.prune(weights, sparsity: 0.8).applied(to: weights)
        let nonzero = pruned.filter { $0 != 0 }
        let shared = KMeansWeightSharing.cluster(nonzero, bits: 2)
        #expect(shared.indices.count == 400)
        let smallestKept = nonzero.map(abs).min()!
        #expect(shared.codebook.allSatisfy { abs($0) >= smallestKept })
        // Scattered back into the sparse positions, the zeros stay exactly zero.
        let sparse = RelativeIndexedSparse(dense: pruned, gapBits: 8)
        #expect(sparse.fillerCount == 0)
        var rebuilt = [Float](repeating: 0, count: pruned.count)
        for (position, value) in zip(sparse.positions(), shared.reconstructed()) { rebuilt[position] = value }
        #expect(zip(rebuilt, pruned).allSatisfy { ($0 == 0) == ($1 == 0) })
    }

    @Test("empty input, a single distinct value, and extreme magnitudes")
    func edgeCases() {
        let empty = KMeansWeightSharing.cluster([], bits: 4)
        #expect(empty.indices == [])
        #expect(empty.codebook.count == 16)

        let constant = KMeansWeightSharing.cluster([Float](repeating: 0.25, count: 50), bits: 3)
        #expect(constant.reconstructed() == [Float](repeating: 0.25, count: 50))

        let extremes: [Float] = [-.greatestFiniteMagnitude, 0, .greatestFiniteMagnitude, 1e-30, -1e-30]
        let shared = KMeansWeightSharing.cluster(extremes, bits: 2)
        #expect(shared.codebook.allSatisfy { $0.isFinite })
        #expect(shared.codebook == shared.codebook.sorted())
        #expect(shared.reconstructed().first == -.greatestFiniteMagnitude)
        #expect(shared.reconstructed()[2] == .greatestFiniteMagnitude)
    }
}

// Weight sharing by 1-D k-means (Deep Compression, stage 2).

/// A layer's weights as indices into a small codebook of shared values.
public struct SharedWeights: Sendable, Equatable {
    /// The shared values, sorted ascending; 2^bits of them.
    public let codebook: [Float]
    /// For each clustered weight, the index of its codebook entry.
    public let indices: [UInt8]
    /// Lloyd iterations run (assignment passes that changed something, plus the final check).
    public let iterations: Int

    /// Wraps a codebook and indices (e.g. decoded from a file).
    public init(codebook: [Float], indices: [UInt8], iterations: Int = 0) {
        self.codebook = codebook
        self.indices = indices
        self.iterations = iterations
    }

    /// The weights the indices stand for: `codebook[index]` for every index.
    public func reconstructed() -> [Float] {
        indices.map { codebook[Int($0)] }
    }

    /// Weights that are already shared (e.g. by trained quantization) as exactly their distinct
    /// values, sorted ascending, and an index per weight; nil when there are more than
    /// `maximumEntries` (at most 256) distinct values. Reconstructs `values` bit for bit.
    public static func exact(_ values: [Float], maximumEntries: Int) -> SharedWeights? {
        precondition((1...256).contains(maximumEntries), "indices are one byte")
        var distinct = Set<UInt32>()
        for value in values {
            distinct.insert(value.bitPattern)
            if distinct.count > maximumEntries { return nil }
        }
        let codebook = distinct.map { Float(bitPattern: $0) }.sorted()
        var position: [UInt32: UInt8] = [:]
        for (index, value) in codebook.enumerated() { position[value.bitPattern] = UInt8(index) }
        return SharedWeights(codebook: codebook, indices: values.map { position[$0.bitPattern]! })
    }
}

/// Clusters weights with Lloyd's k-means in one dimension, k = 2^bits centroids initialized
/// linearly between the smallest and largest weight (the initialization Deep Compression found
/// best: it keeps centroids for the rare large weights).
public enum KMeansWeightSharing {
    /// Clusters `values` into 2^bits shared values (bits 1...8).
    ///
    /// Iterates assignment and centroid update until no assignment changes or `maxIterations`
    /// passes ran; the returned indices always point at the nearest codebook entry (exact
    /// distances, ties to the lower entry). A centroid left without weights keeps its position.
    /// For a pruned layer pass only the kept (nonzero) weights, so the zeros do not pull a
    /// centroid to 0.
    public static func cluster(_ values: [Float], bits: Int, maxIterations: Int = 100) -> SharedWeights {
        precondition((1...8).contains(bits), "bits is 1...8: indices are one byte")
        precondition(maxIterations >= 1, "at least one assignment pass")
        precondition(values.allSatisfy(\.isFinite), "weights must be finite")
        let clusterCount = 1 << bits
        guard let low = values.min(), let high = values.max() else {
            return SharedWeights(codebook: [Float](repeating: 0, count: clusterCount), indices: [], iterations: 0)
        }
        var codebook = (0..<clusterCount).map { cluster in
            // Written as a blend so extreme weights (±Float.greatestFiniteMagnitude) cannot overflow.
            let fraction = Float(cluster) / Float(clusterCount - 1)
            return low * (1 - fraction) + high * fraction
        }
        // In one dimension every cluster is a run of the sorted values, so a Lloyd step needs
        // only k − 1 binary searches and prefix sums: O(k log n) instead of O(n log k).
        let sorted = values.sorted()
        var prefixSums = [Double](repeating: 0, count: sorted.count + 1)
        for (position, value) in sorted.enumerated() { prefixSums[position + 1] = prefixSums[position] + Double(value) }
        var clusterEnds = [Int]()
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let ends = Self.clusterEnds(sorted, codebook: codebook)
            if ends == clusterEnds { break }
            clusterEnds = ends
            if iterations == maxIterations { break }
            codebook = Self.centroids(prefixSums: prefixSums, clusterEnds: ends, previous: codebook)
        }
        var indices = [UInt8](repeating: 0, count: values.count)
        assignNearest(values, codebook: codebook, indices: &indices)
        return SharedWeights(codebook: codebook, indices: indices, iterations: iterations)
    }

    /// The 2^bits-entry codebook a file stores for `values`: their exact distinct values when
    /// there are at most 2^bits (weights already shared by trained quantization round-trip bit
    /// for bit; the codebook is padded by repeating its largest entry), else `cluster(values, bits:)`.
    public static func sharing(_ values: [Float], bits: Int) -> SharedWeights {
        guard let exact = SharedWeights.exact(values, maximumEntries: 1 << bits), !exact.codebook.isEmpty else {
            return cluster(values, bits: bits)
        }
        let padding = [Float](repeating: exact.codebook[exact.codebook.count - 1], count: (1 << bits) - exact.codebook.count)
        return SharedWeights(codebook: exact.codebook + padding, indices: exact.indices)
    }

    // MARK: - Lloyd steps

    /// Points every value at its nearest codebook entry (ties to the lower one). The codebook
    /// must be sorted ascending.
    static func assignNearest(_ values: [Float], codebook: [Float], indices: inout [UInt8]) {
        // Decision boundaries between neighbours; a value's index is how many boundaries it exceeds.
        let boundaries = (1..<codebook.count).map { codebook[$0 - 1] / 2 + codebook[$0] / 2 }
        for (position, value) in values.enumerated() {
            var lower = 0
            var upper = boundaries.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if value > boundaries[middle] { lower = middle + 1 } else { upper = middle }
            }
            // The rounded boundary can misplace a value by one: settle it on exact distances.
            if lower > 0 && abs(value - codebook[lower - 1]) <= abs(value - codebook[lower]) { lower -= 1 }
            if lower < codebook.count - 1 && abs(value - codebook[lower + 1]) < abs(value - codebook[lower]) {
                lower += 1
            }
            indices[position] = UInt8(lower)
        }
    }

    /// For a sorted codebook, where each cluster's run ends in `sorted` (values above the
    /// midpoint between two centroids go to the upper one).
    static func clusterEnds(_ sorted: [Float], codebook: [Float]) -> [Int] {
        var ends = (1..<codebook.count).map { cluster in
            let boundary = codebook[cluster - 1] / 2 + codebook[cluster] / 2
            var lower = 0
            var upper = sorted.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if sorted[middle] > boundary { upper = middle } else { lower = middle + 1 }
            }
            return lower
        }
        ends.append(sorted.count)
        return ends
    }

    /// The mean of each cluster's run (from Double prefix sums); an empty cluster keeps its
    /// previous centroid. Means of ordered runs stay sorted.
    static func centroids(prefixSums: [Double], clusterEnds: [Int], previous: [Float]) -> [Float] {
        var start = 0
        return previous.indices.map { cluster in
            let end = clusterEnds[cluster]
            defer { start = end }
            guard end > start else { return previous[cluster] }
            return Float((prefixSums[end] - prefixSums[start]) / Double(end - start))
        }
    }
}

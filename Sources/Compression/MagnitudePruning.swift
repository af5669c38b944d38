// Magnitude pruning: zero the smallest weights, per layer or across layers.

/// Which weights of a layer survive pruning.
public struct PruningMask: Sendable, Equatable {
    /// `true` for each weight that is kept.
    public let kept: [Bool]

    /// Wraps a keep-flag per weight.
    public init(kept: [Bool]) {
        self.kept = kept
    }

    /// How many weights are kept.
    public var keptCount: Int { kept.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The fraction of weights removed, in 0...1 (0 for an empty layer).
    public var sparsity: Double {
        kept.isEmpty ? 0 : Double(kept.count - keptCount) / Double(kept.count)
    }

    /// `weights` with every pruned position set to zero.
    public func applied(to weights: [Float]) -> [Float] {
        precondition(weights.count == kept.count, "mask and weights differ in length")
        return zip(weights, kept).map { $1 ? $0 : 0 }
    }

    /// The mask as bytes (1 = kept), e.g. for `RunLengthEncoding`.
    public var bytes: [UInt8] { kept.map { $0 ? 1 : 0 } }
}

/// Prunes the weights of smallest magnitude (Han et al., "Learning both weights and connections").
///
/// Exactly `round(sparsity × count)` weights are removed; among equal magnitudes the lower index
/// goes first, so the result is deterministic. Weights already zero are pruned before any other.
public enum MagnitudePruning {
    /// The mask pruning `sparsity` (0...1) of one layer's weights.
    public static func prune(_ weights: [Float], sparsity: Double) -> PruningMask {
        pruneGlobally([weights], sparsity: sparsity)[0]
    }

    /// Masks pruning `sparsity` (0...1) of all weights together: one magnitude threshold for every
    /// layer, so layers with smaller weights lose more of them.
    public static func pruneGlobally(_ layers: [[Float]], sparsity: Double) -> [PruningMask] {
        precondition(sparsity >= 0 && sparsity <= 1, "sparsity is a fraction in 0...1")
        var candidates = [(magnitude: Float, layer: Int, index: Int)]()
        candidates.reserveCapacity(layers.reduce(0) { $0 + $1.count })
        for (layer, weights) in layers.enumerated() {
            for (index, weight) in weights.enumerated() {
                precondition(weight.isFinite, "weights must be finite to be ranked")
                candidates.append((abs(weight), layer, index))
            }
        }
        let prunedCount = Int((sparsity * Double(candidates.count)).rounded())
        candidates.sort { ($0.magnitude, $0.layer, $0.index) < ($1.magnitude, $1.layer, $1.index) }
        var kept = layers.map { [Bool](repeating: true, count: $0.count) }
        for candidate in candidates.prefix(prunedCount) {
            kept[candidate.layer][candidate.index] = false
        }
        return kept.map(PruningMask.init(kept:))
    }
}

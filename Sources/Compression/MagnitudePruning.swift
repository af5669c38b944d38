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
        let total = layers.reduce(0) { $0 + $1.count }
        precondition(total < 1 << 32, "at most 2^32 weights")
        // Sort keys: |w|'s bit pattern (monotone for non-negative floats) above the position in
        // the concatenated layers, so one integer sort ranks by magnitude, then layer, then index.
        var keys = [UInt64]()
        keys.reserveCapacity(total)
        for weights in layers {
            for weight in weights {
                precondition(weight.isFinite, "weights must be finite to be ranked")
                keys.append(UInt64(abs(weight).bitPattern) << 32 | UInt64(keys.count))
            }
        }
        keys.sort()
        var flatKept = [Bool](repeating: true, count: total)
        for key in keys.prefix(Int((sparsity * Double(total)).rounded())) {
            flatKept[Int(key & 0xFFFF_FFFF)] = false
        }
        var start = 0
        let kept = layers.map { weights in
            defer { start += weights.count }
            return Array(flatKept[start..<start + weights.count])
        }
        return kept.map(PruningMask.init(kept:))
    }
}

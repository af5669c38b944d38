import Compression

extension ModelDefinition {
    /// Magnitude-pruned to `sparsity` per layer (Deep Compression's stage 1, without retraining),
    /// for the groups-1 layers with at least `minimumWeights` weights (the stem and depthwise
    /// layers are small and sensitive, and stay dense).
    public func magnitudePruned(sparsity: Double, minimumWeights: Int = 1024) -> ModelDefinition {
        var pruned = self
        for index in pruned.convolutions.indices {
            let definition = pruned.convolutions[index]
            guard definition.shape.groups == 1, definition.weights.count >= minimumWeights else { continue }
            pruned.convolutions[index].weights = MagnitudePruning.prune(definition.weights, sparsity: sparsity)
                .applied(to: definition.weights)
        }
        return pruned
    }
}

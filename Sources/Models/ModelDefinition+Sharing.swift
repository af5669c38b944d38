import Compression
import Kernels

extension ModelDefinition {
    /// Every layer's weights replaced by their k-means shared values (2^bits clusters per layer,
    /// zeros kept zero when the layer was pruned): the model as "decoded once at load".
    public func sharingWeights(bits: Int) -> ModelDefinition {
        sharingWeights { _ in bits }
    }

    /// Every layer's weights replaced by their k-means shared values, 2^`bits(layer)` clusters per
    /// layer (plain k-means, Deep Compression's sharing without fine-tuning the centroids).
    public func sharingWeights(bits: (ConvolutionDefinition) -> Int) -> ModelDefinition {
        var shared = self
        for index in shared.convolutions.indices {
            let weights = shared.convolutions[index].weights
            let isPruned = weights.contains(0)
            let kept = isPruned ? weights.filter { $0 != 0 } : weights
            guard !kept.isEmpty else { continue }
            var values = KMeansWeightSharing.cluster(kept, bits: bits(shared.convolutions[index])).reconstructed().makeIterator()
            shared.convolutions[index].weights = weights.map { isPruned && $0 == 0 ? 0 : values.next()! }
        }
        return shared
    }

    /// The network looking weights up from a per-layer codebook of 2^bits values on the fly, for
    /// every groups-1 layer; grouped (depthwise) layers run dense on their shared values.
    public func sharedWeightNetwork(bits: Int) throws(ModelError) -> Network {
        try sharedWeightNetwork { KMeansWeightSharing.cluster($0.weights, bits: bits) }
    }

    /// The network of a model whose weights are already shared (trained quantization): a layer
    /// whose distinct values, the pruned zeros included, fit one byte of index looks them up on
    /// the fly; a layer with more (an 8-bit codebook plus the zero) runs on the CSR kernel.
    public func sharedLookupNetwork() throws(ModelError) -> Network {
        try sharedWeightNetwork { SharedWeights.exact($0.weights, maximumEntries: 256) }
    }

    /// The network whose groups-1 layers look weights up on the fly from the codebook and
    /// indices `share` gives each layer (fully connected shapes on the shared-weight GEMV, others
    /// on the shared-weight convolution); grouped layers run dense on the shared values, and a
    /// layer `share` gives no codebook for runs as `sparseLayer()`.
    public func sharedWeightNetwork(_ share: (ConvolutionDefinition) -> SharedWeights?) throws(ModelError) -> Network {
        try network { definition throws(ModelError) in
            guard let shared = share(definition) else { return try definition.sparseLayer() }
            let shape = definition.shape
            do throws(ConvolutionError) {
                if shape.groups != 1 {
                    return ConvolutionLayer(name: definition.name, kernel: try Convolution(
                        shape: shape, weights: shared.reconstructed(), bias: definition.bias, activation: definition.activation))
                }
                if shape.isFullyConnected {
                    return FullyConnectedLayer(name: definition.name, kernel: try FullyConnected(
                        shape: shape, storage: .shared(codebook: shared.codebook, indices: shared.indices),
                        bias: definition.bias, activation: definition.activation))
                }
                return SharedWeightConvolutionLayer(name: definition.name, kernel: try SharedWeightConvolution(
                    shape: shape, codebook: shared.codebook, indices: shared.indices, bias: definition.bias,
                    activation: definition.activation))
            } catch {
                throw .invalidLayer(layer: definition.name, error)
            }
        }
    }
}

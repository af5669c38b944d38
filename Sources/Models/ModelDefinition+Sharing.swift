import Compression
import Kernels

extension ModelDefinition {
    /// Every layer's weights replaced by their k-means shared values (2^bits clusters per layer,
    /// zeros kept zero when the layer was pruned): the model as "decoded once at load".
    public func sharingWeights(bits: Int) -> ModelDefinition {
        var shared = self
        for index in shared.convolutions.indices {
            let weights = shared.convolutions[index].weights
            let isPruned = weights.contains(0)
            let kept = isPruned ? weights.filter { $0 != 0 } : weights
            guard !kept.isEmpty else { continue }
            var values = KMeansWeightSharing.cluster(kept, bits: bits).reconstructed().makeIterator()
            shared.convolutions[index].weights = weights.map { isPruned && $0 == 0 ? 0 : values.next()! }
        }
        return shared
    }

    /// The network looking weights up from a per-layer codebook of 2^bits values on the fly, for
    /// every groups-1 layer; grouped (depthwise) layers run dense on their shared values.
    public func sharedWeightNetwork(bits: Int) throws(ModelError) -> Network {
        try network { definition throws(ModelError) in
            guard definition.shape.groups == 1 else {
                return try ConvolutionDefinition(
                    name: definition.name, shape: definition.shape, activation: definition.activation,
                    weights: KMeansWeightSharing.cluster(definition.weights, bits: bits).reconstructed(),
                    bias: definition.bias
                ).denseLayer()
            }
            let shared = KMeansWeightSharing.cluster(definition.weights, bits: bits)
            do throws(ConvolutionError) {
                return SharedWeightConvolutionLayer(name: definition.name, convolution: try SharedWeightConvolution(
                    shape: definition.shape, codebook: shared.codebook, indices: shared.indices, bias: definition.bias,
                    activation: definition.activation))
            } catch {
                throw .invalidLayer(layer: definition.name, error)
            }
        }
    }
}

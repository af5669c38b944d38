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
        try network { definition throws(ModelError) in
            try definition.sharedLayer(KMeansWeightSharing.cluster(definition.weights, bits: bits))
        }
    }

    /// The network of a model whose weights are already shared (trained quantization), each
    /// layer in its `sharedLookupForm`: a pruned fully connected layer on CSR of codebook bytes;
    /// another layer whose distinct values, the pruned zeros included, fit one byte of index
    /// looked up on the fly; a layer with more (an 8-bit codebook plus the zero) on the CSR kernel.
    public func sharedLookupNetwork() throws(ModelError) -> Network {
        try network { definition throws(ModelError) in
            switch definition.sharedLookupForm {
            case .sparseShared:
                do throws(ConvolutionError) {
                    guard let kernel = try FullyConnected.sparseShared(
                        shape: definition.shape, weights: definition.weights, bias: definition.bias, activation: definition.activation)
                    else { preconditionFailure("sharedLookupForm found the nonzero values fit one byte of index") }
                    return FullyConnectedLayer(name: definition.name, kernel: kernel)
                } catch {
                    throw .invalidLayer(layer: definition.name, error)
                }
            case .shared(let shared):
                return try definition.sharedLayer(shared)
            case .sparse:
                return try definition.sparseLayer()
            }
        }
    }
}

extension ConvolutionDefinition {
    /// The layer looking its weights up from `shared` (one codebook index per weight) on the fly:
    /// a fully connected shape on the shared-weight GEMV, another groups-1 shape on the
    /// shared-weight convolution; a grouped (depthwise) layer runs dense on the shared values.
    public func sharedLayer(_ shared: SharedWeights) throws(ModelError) -> any NetworkLayer {
        do throws(ConvolutionError) {
            if shape.groups != 1 {
                return ConvolutionLayer(name: name, kernel: try Convolution(
                    shape: shape, weights: shared.reconstructed(), bias: bias, activation: activation))
            }
            if shape.isFullyConnected {
                return FullyConnectedLayer(name: name, kernel: try FullyConnected(
                    shape: shape, storage: .shared(codebook: shared.codebook, indices: shared.indices), bias: bias,
                    activation: activation))
            }
            return SharedWeightConvolutionLayer(name: name, kernel: try SharedWeightConvolution(
                shape: shape, codebook: shared.codebook, indices: shared.indices, bias: bias, activation: activation))
        } catch {
            throw .invalidLayer(layer: name, error)
        }
    }
}

import Compression
import Kernels
import Tensors

/// Seeded random-weight models for latency studies of the compressed kernels: a MobileNetV1-style
/// network at 96x96 and single layers of each kind. (The architecture-spec builder of the `nas`
/// work is meant to replace the MobileNet builder here once it lands on main.)
public enum MobileNetStyleModel {
    /// MobileNetV1-style at 96x96x3: stem conv3x3/2 3→16, seven depthwise-separable blocks
    /// (depthwise 3x3 + pointwise 1x1, ReLU6) to 6x6x256, then a 6x6 valid convolution to 10
    /// logits (dense over the flattened map): 16 convolutions.
    public static func definition(seed: UInt64) -> ModelDefinition {
        var initializer = WeightInitializer(seed: seed)
        var convolutions: [ConvolutionDefinition] = []
        var size = 96
        var channels = 3
        func add(_ name: String, outputs: Int, kernel: Int, stride: Int, groups: Int, activation: Activation) {
            let padding = kernel == 1 || (name == "classifier") ? Padding.zero
                : Padding.same(inputHeight: size, inputWidth: size, kernelHeight: kernel, kernelWidth: kernel,
                               strideY: stride, strideX: stride)
            let shape = ConvolutionShape(
                inputChannels: channels, inputHeight: size, inputWidth: size, outputChannels: outputs,
                kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride, padding: padding, groups: groups)
            convolutions.append(ConvolutionDefinition(
                name: name, shape: shape, activation: activation,
                weights: initializer.weights(for: shape), bias: initializer.bias(for: shape)))
            size = shape.outputHeight
            channels = outputs
        }
        add("stem", outputs: 16, kernel: 3, stride: 2, groups: 1, activation: .relu6)
        let blocks: [(outputs: Int, stride: Int)] = [(32, 1), (64, 2), (64, 1), (128, 2), (128, 1), (256, 2), (256, 1)]
        for (index, block) in blocks.enumerated() {
            add("block\(index + 1).depthwise", outputs: channels, kernel: 3, stride: block.stride, groups: channels,
                activation: .relu6)
            add("block\(index + 1).pointwise", outputs: block.outputs, kernel: 1, stride: 1, groups: 1, activation: .relu6)
        }
        add("classifier", outputs: 10, kernel: size, stride: 1, groups: 1, activation: .none)
        return ModelDefinition(name: "mobilenet-style-96", convolutions: convolutions)
    }

    /// One-layer models of the kinds the int8 and sparse targets name: pointwise 128→128 at 56x56,
    /// pointwise 512→512 at 14x14, regular conv3x3 64→64 at 56x56 (ReLU6, seeded weights).
    public static func layerDefinitions(seed: UInt64) -> [ModelDefinition] {
        var initializer = WeightInitializer(seed: seed)
        let shapes: [(String, ConvolutionShape)] = [
            ("pointwise-128-128-56", ConvolutionShape(inputChannels: 128, inputHeight: 56, inputWidth: 56, outputChannels: 128,
                                                      kernelHeight: 1, kernelWidth: 1)),
            ("pointwise-512-512-14", ConvolutionShape(inputChannels: 512, inputHeight: 14, inputWidth: 14, outputChannels: 512,
                                                      kernelHeight: 1, kernelWidth: 1)),
            ("conv3x3-64-64-56", ConvolutionShape(inputChannels: 64, inputHeight: 56, inputWidth: 56, outputChannels: 64,
                                                  kernelHeight: 3, kernelWidth: 3, padding: .symmetric(1))),
        ]
        return shapes.map { name, shape in
            ModelDefinition(name: name, convolutions: [ConvolutionDefinition(
                name: name, shape: shape, activation: .relu6,
                weights: initializer.weights(for: shape), bias: initializer.bias(for: shape))])
        }
    }
}

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

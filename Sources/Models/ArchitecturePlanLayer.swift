import Kernels
import Tensors

/// One layer of an `ArchitecturePlan`: its convolutions' shapes and what it costs, plus the
/// key a per-block latency lookup table files it under.
public struct ArchitecturePlanLayer: Sendable, Equatable {
    /// What a planned layer is.
    public enum Kind: String, Sendable, CaseIterable {
        /// The first regular convolution.
        case stem
        /// An inverted residual block (MobileNetV2).
        case invertedResidual = "inverted_residual"
        /// A depthwise-separable block (MobileNetV1).
        case separable
        /// The head's 1x1 convolution.
        case headConvolution = "head_conv"
        /// Global average pooling.
        case globalAveragePool = "global_average_pool"
        /// The fully connected classifier (a 1x1 convolution on a 1x1 input).
        case fullyConnected = "fully_connected"
    }

    /// A name for records and per-block timings, e.g. `block3.1` (entry 3, second repeat).
    public let name: String
    /// What the layer is.
    public let kind: Kind
    /// Its convolutions in order (none for the pool).
    public let convolutions: [ConvolutionShape]
    /// The activation fused into each convolution.
    public let activations: [Activation]
    /// Whether the block adds its input to its output.
    public let hasSkip: Bool
    /// Expansion ratio (1 where it does not apply).
    public let expand: Int
    /// Kernel size of the spatial convolution (1 for pointwise layers).
    public let kernel: Int
    /// Stride.
    public let stride: Int
    /// What the layer reads.
    public let inputShape: TensorShape
    /// What the layer writes.
    public let outputShape: TensorShape

    /// A convolutional layer; its shapes come from `convolutions`.
    init(
        name: String, kind: Kind, convolutions: [ConvolutionShape], activations: [Activation], hasSkip: Bool,
        expand: Int, kernel: Int, stride: Int
    ) {
        self.name = name
        self.kind = kind
        self.convolutions = convolutions
        self.activations = activations
        self.hasSkip = hasSkip
        self.expand = expand
        self.kernel = kernel
        self.stride = stride
        inputShape = convolutions[0].inputShape
        outputShape = convolutions[convolutions.count - 1].outputShape
    }

    /// The head's global average pool over `input`.
    init(pool input: TensorShape) {
        name = "head.pool"
        kind = .globalAveragePool
        convolutions = []
        activations = []
        hasSkip = false
        expand = 1
        kernel = input.height
        stride = 1
        inputShape = input
        outputShape = TensorShape(height: 1, width: 1, channels: input.channels)
    }

    /// Multiply-accumulates (the pool counts one per input element, the skip one per output element).
    public var macs: Int {
        guard kind != .globalAveragePool else { return inputShape.elementCount }
        return convolutions.reduce(0) { $0 + $1.macs } + (hasSkip ? outputShape.elementCount : 0)
    }

    /// Weights and biases.
    public var parameterCount: Int { convolutions.reduce(0) { $0 + $1.parameterCount } }

    /// The layer's convolutions, named as their network layers (`stem`, `block2.1.expand`, ...),
    /// with weights and then biases drawn from `initializer` in order (none for the pool).
    public func convolutionDefinitions(initializer: inout WeightInitializer) -> [ConvolutionDefinition] {
        let stepNames = convolutions.count == 3 ? ["expand", "depthwise", "project"] : ["depthwise", "pointwise"]
        return convolutions.enumerated().map { index, shape in
            ConvolutionDefinition(
                name: convolutions.count == 1 ? name : "\(name).\(stepNames[index])", shape: shape,
                activation: activations[index], weights: initializer.weights(for: shape), bias: initializer.bias(for: shape))
        }
    }

    /// How a model wires this layer, whose convolutions are `range` of the model's.
    func step(convolutions range: Range<Int>) -> ModelStep {
        switch kind {
        case .globalAveragePool:
            return .globalAveragePool(name: name, input: inputShape)
        case .stem, .headConvolution, .fullyConnected:
            return .convolution(range.lowerBound)
        case .invertedResidual, .separable:
            return .block(name: name, convolutions: range, hasSkip: hasSkip)
        }
    }

    /// Builds the dense float32 layer with weights drawn from `initializer`.
    public func build(initializer: inout WeightInitializer) throws(ModelError) -> any NetworkLayer {
        try definition(initializer: &initializer).denseNetwork().layers[0]
    }

    /// The layer alone as a one-step model (what `build` builds), with weights from `initializer`.
    public func definition(initializer: inout WeightInitializer) -> ModelDefinition {
        let definitions = convolutionDefinitions(initializer: &initializer)
        return ModelDefinition(name: name, convolutions: definitions, steps: [step(convolutions: 0..<definitions.count)])
    }
}

// MARK: - Lookup table keys

extension ArchitecturePlanLayer {
    /// The key of this layer in a ProxylessNAS / Once-for-All style latency lookup table, e.g.
    /// `expanded_conv-input:112x112x16-output:56x56x24-expand:3-kernel:5-stride:2-idskip:0`,
    /// `Conv-input:96x96x3-output:48x48x32`, `Logits-input:1x1x1280-output:1000`.
    public var lookupKey: String {
        let shapes = "input:\(inputShape)-output:\(outputShape)"
        switch kind {
        case .stem:
            return "Conv-\(shapes)-kernel:\(kernel)-stride:\(stride)"
        case .invertedResidual:
            return "expanded_conv-\(shapes)-expand:\(expand)-kernel:\(kernel)-stride:\(stride)-idskip:\(hasSkip ? 1 : 0)"
        case .separable:
            return "separable_conv-\(shapes)-kernel:\(kernel)-stride:\(stride)"
        case .headConvolution:
            return "Conv_1-\(shapes)"
        case .globalAveragePool:
            return "AvgPool2D-\(shapes)"
        case .fullyConnected:
            return "Logits-input:\(inputShape)-output:\(outputShape.channels)"
        }
    }
}

import Kernels

/// A convolution with its weights kept as plain arrays, so compression stages can rewrite them
/// and every variant (dense, sparse, ...) can be built from the same definition.
public struct ConvolutionDefinition: Sendable, Equatable {
    /// Layer name, e.g. `conv2`; file sections are `<name>.weight` and `<name>.bias`.
    public let name: String
    /// The geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    /// Weights laid out [out][kh][kw][in / groups].
    public var weights: [Float]
    /// One bias per output channel.
    public var bias: [Float]

    /// A definition; counts are checked when a layer is built from it.
    public init(name: String, shape: ConvolutionShape, activation: Activation, weights: [Float], bias: [Float]) {
        self.name = name
        self.shape = shape
        self.activation = activation
        self.weights = weights
        self.bias = bias
    }

    /// Weights that are not zero.
    public var nonzeroWeightCount: Int { weights.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }

    /// Share of the weights that are not zero, 0...1.
    public var density: Double { Double(nonzeroWeightCount) / Double(max(weights.count, 1)) }

    /// The dense float32 layer: a GEMV for a fully connected shape (`isFullyConnected`), else a convolution.
    public func denseLayer() throws(ModelError) -> any NetworkLayer {
        do {
            if shape.isFullyConnected {
                return FullyConnectedLayer(
                    name: name, kernel: try FullyConnected(shape: shape, weights: weights, bias: bias, activation: activation))
            }
            return try ConvolutionLayer(name: name, shape: shape, weights: weights, bias: bias, activation: activation)
        } catch {
            throw .invalidLayer(layer: name, error)
        }
    }

    /// Share of nonzero weights above which the dense kernel is faster than the CSR one.
    public static let sparseKernelMaximumDensity = 0.3

    /// The CSR layer for pruned weights (sparse matrix-vector product for a fully connected shape);
    /// layers with groups (depthwise) or denser than `sparseKernelMaximumDensity` (not pruned,
    /// e.g. the stem) stay dense.
    public func sparseLayer() throws(ModelError) -> any NetworkLayer {
        guard shape.groups == 1, density <= Self.sparseKernelMaximumDensity else { return try denseLayer() }
        do {
            if shape.isFullyConnected {
                return FullyConnectedLayer(
                    name: name, kernel: try .sparse(shape: shape, weights: weights, bias: bias, activation: activation))
            }
            return try SparseConvolutionLayer(name: name, shape: shape, weights: weights, bias: bias, activation: activation)
        } catch {
            throw .invalidLayer(layer: name, error)
        }
    }
}

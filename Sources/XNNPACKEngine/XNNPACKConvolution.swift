import Kernels
import Tensors
import XNNPACKShim

/// A float32 NHWC convolution run by XNNPACK: regular, depthwise (groups = C_in = C_out, which
/// XNNPACK hands to its depthwise micro-kernels), pointwise or grouped, bias and activation fused.
///
/// The operator is created with its weights packed and set up once on buffers the layer owns, so
/// `run()` is what an inference engine built on XNNPACK (LiteRT's delegate) repeats per call.
public final class XNNPACKConvolution: @unchecked Sendable {
    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation
    private let convolution: XNNPACKLayerOperator<Float>

    /// Builds the layer from weights laid out [outputChannels][kernelHeight][kernelWidth][inputChannels / groups]
    /// (as `Convolution`) and one bias per output channel (nil for none).
    /// - Throws: `XNNPACKError` for an impossible shape, wrong counts, or a layer XNNPACK refuses.
    public init(
        shape: ConvolutionShape, weights: [Float], bias: [Float]?, activation: Activation, threads: XNNPACKThreads
    ) throws(XNNPACKError) {
        let label = "convolution \(shape)"
        try Self.check(shape, weights: weights.count, bias: bias?.count, label: label)
        self.shape = shape
        self.activation = activation
        var geometry = shape.xnnpackGeometry
        convolution = try XNNPACKLayerOperator(label, shape: shape, inputZero: 0, threads: threads, create: { made in
            // One operator is a whole inference: its workers sleep after it (see `ep_xnn_create_convolution_f32`).
            ep_xnn_create_convolution_f32(&geometry, weights, bias, activation.lowerBound, activation.upperBound, 1, made)
        }, setUp: { op, input, output in
            ep_xnn_setup_convolution_f32(op, &geometry, input, output, threads.pool)
        })
    }

    /// The threads the layer runs on.
    public var threads: XNNPACKThreads { convolution.threads }

    /// Checks what `ConvolutionShape.validate()` and the counts would reject, as an `XNNPACKError`.
    static func check(_ shape: ConvolutionShape, weights: Int, bias: Int?, label: String) throws(XNNPACKError) {
        do {
            try shape.validate()
        } catch {
            throw XNNPACKError(operation: "create \(label)", problem: error.description)
        }
        if weights != shape.weightCount {
            throw XNNPACKError(operation: "create \(label)", problem: "weights.count is \(weights), expected \(shape.weightCount)")
        }
        if let bias, bias != shape.outputChannels {
            throw XNNPACKError(operation: "create \(label)", problem: "bias.count is \(bias), expected \(shape.outputChannels)")
        }
    }

    /// The input buffer `run()` reads (`shape.inputShape`, NHWC).
    public var inputValues: UnsafeMutableBufferPointer<Float> { convolution.inputElements }

    /// The output buffer `run()` writes (`shape.outputShape`, NHWC).
    public var outputValues: UnsafeBufferPointer<Float> { convolution.outputElements }

    /// Runs the layer on `inputValues`, writing `outputValues`.
    public func run() {
        convolution.run()
    }

    /// Copies `tensor` into the input buffer, runs the layer and returns a copy of the output.
    public func forward(_ tensor: Tensor) -> Tensor {
        precondition(tensor.shape == shape.inputShape,
                     "XNNPACKConvolution.forward: input is \(tensor.shape), the layer expects \(shape.inputShape)")
        tensor.withUnsafeBufferPointer { source in _ = inputValues.update(fromContentsOf: source) }
        run()
        return Tensor(height: shape.outputHeight, width: shape.outputWidth, channels: shape.outputChannels,
                      values: Array(outputValues))
    }
}

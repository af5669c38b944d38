import Tensors

/// A depthwise-separable block: depthwise k x k (stride, padding) followed by pointwise 1x1.
public struct DepthwiseSeparableShape: Hashable, Sendable {
    /// The depthwise stage: C_in -> C_in, k x k, groups = C_in.
    public let depthwise: ConvolutionShape
    /// The pointwise stage: C_in -> C_out, 1x1.
    public let pointwise: ConvolutionShape

    /// The block for `inputChannels` x `inputHeight` x `inputWidth` input and `outputChannels` outputs.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
        kernelSize: Int, stride: Int = 1, padding: Padding
    ) {
        depthwise = ConvolutionShape(
            inputChannels: inputChannels, inputHeight: inputHeight, inputWidth: inputWidth,
            outputChannels: inputChannels, kernelHeight: kernelSize, kernelWidth: kernelSize,
            strideY: stride, strideX: stride, padding: padding, groups: max(inputChannels, 1))
        pointwise = ConvolutionShape(
            inputChannels: inputChannels, inputHeight: depthwise.outputHeight, inputWidth: depthwise.outputWidth,
            outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1)
    }

    /// Throws `ConvolutionError.invalidShape` naming the first impossible field of either stage.
    public func validate() throws(ConvolutionError) {
        try depthwise.validate()
        try pointwise.validate()
    }

    /// The block's input shape.
    public var inputShape: TensorShape { depthwise.inputShape }
    /// The block's output shape.
    public var outputShape: TensorShape { pointwise.outputShape }
    /// MACs of both stages.
    public var macs: Int { depthwise.macs + pointwise.macs }
    /// Floating-point operations of both stages (2 x MACs).
    public var flops: Int { 2 * macs }
    /// Weights and biases of both stages.
    public var parameterCount: Int { depthwise.parameterCount + pointwise.parameterCount }
    /// Input + all parameters + output, float32; the intermediate stays in cache-sized tiles and is not counted.
    public var bytesMoved: Int {
        (inputShape.elementCount + parameterCount + outputShape.elementCount) * MemoryLayout<Float>.stride
    }
}

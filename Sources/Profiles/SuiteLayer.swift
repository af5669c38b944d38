import Kernels

/// One benchmark of a suite: a convolution layer, or a depthwise-separable block.
public struct SuiteLayer: Sendable, Equatable {
    /// The kind of layer, as written in the suite's `op` field.
    public enum Operation: String, Sendable, CaseIterable {
        /// Regular convolution, any kernel, stride, padding and groups.
        case conv
        /// Depthwise convolution: one k x k filter per channel.
        case depthwise
        /// Pointwise (1x1) convolution.
        case pointwise
        /// Depthwise k x k followed by pointwise 1x1, timed as one block (MobileNet).
        case separable
    }

    /// How much to pad each side, as written in the suite's `padding` field.
    public enum PaddingRule: Sendable, Equatable {
        /// The same number of pixels on every side.
        case pixels(Int)
        /// Output size ceil(input / stride), extra pixel at the bottom/right (TensorFlow's "SAME").
        case same
        /// No padding.
        case valid
    }

    /// Unique name within the suite.
    public let name: String
    /// The kind of layer.
    public let operation: Operation
    /// Input channels.
    public let inputChannels: Int
    /// Input height.
    public let height: Int
    /// Input width.
    public let width: Int
    /// Output channels.
    public let outputChannels: Int
    /// Square kernel size.
    public let kernel: Int
    /// Stride in both directions.
    public let stride: Int
    /// Padding rule.
    public let padding: PaddingRule
    /// Groups of a regular convolution (1 for every other operation).
    public let groups: Int
    /// Activation fused after the layer (after each convolution of a separable block).
    public let activation: Activation

    /// The convolutions the layer runs, in order: one, or two for a separable block.
    public var convolutionShapes: [ConvolutionShape] {
        switch operation {
        case .conv:
            [shape(inputChannels, outputChannels, kernel: kernel, stride: stride, groups: groups)]
        case .depthwise:
            [shape(inputChannels, inputChannels, kernel: kernel, stride: stride, groups: inputChannels)]
        case .pointwise:
            [shape(inputChannels, outputChannels, kernel: 1, stride: stride, groups: 1)]
        case .separable:
            separableShapes
        }
    }

    private var separableShapes: [ConvolutionShape] {
        let depthwise = shape(inputChannels, inputChannels, kernel: kernel, stride: stride, groups: inputChannels)
        let pointwise = ConvolutionShape(
            inputChannels: inputChannels, inputHeight: depthwise.outputHeight, inputWidth: depthwise.outputWidth,
            outputChannels: outputChannels, kernelHeight: 1, kernelWidth: 1, strideY: 1, strideX: 1,
            padding: .symmetric(0), groups: 1)
        return [depthwise, pointwise]
    }

    private func shape(_ input: Int, _ output: Int, kernel: Int, stride: Int, groups: Int) -> ConvolutionShape {
        ConvolutionShape(
            inputChannels: input, inputHeight: height, inputWidth: width, outputChannels: output,
            kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride,
            padding: resolvedPadding(kernel: kernel, stride: stride), groups: groups)
    }

    /// The padding in pixels for a kernel and stride, resolving `same` per dimension.
    func resolvedPadding(kernel: Int, stride: Int) -> Padding {
        switch padding {
        case .pixels(let pixels):
            return .symmetric(pixels)
        case .valid:
            return .symmetric(0)
        case .same:
            let (top, bottom) = Self.samePadding(size: height, kernel: kernel, stride: stride)
            let (left, right) = Self.samePadding(size: width, kernel: kernel, stride: stride)
            return Padding(top: top, left: left, bottom: bottom, right: right)
        }
    }

    /// TensorFlow's SAME rule for one dimension: output ceil(size / stride).
    static func samePadding(size: Int, kernel: Int, stride: Int) -> (before: Int, after: Int) {
        let output = (size + stride - 1) / stride
        let total = max((output - 1) * stride + kernel - size, 0)
        return (total / 2, total - total / 2)
    }
}

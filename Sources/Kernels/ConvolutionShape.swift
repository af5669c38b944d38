import Tensors

/// The full geometry of one batch-1 float32 NHWC convolution: sizes, kernel, stride, padding and groups.
public struct ConvolutionShape: Hashable, Sendable {
    /// Input channels (C_in).
    public var inputChannels: Int
    /// Input rows.
    public var inputHeight: Int
    /// Input columns.
    public var inputWidth: Int
    /// Output channels (C_out).
    public var outputChannels: Int
    /// Kernel rows.
    public var kernelHeight: Int
    /// Kernel columns.
    public var kernelWidth: Int
    /// Vertical stride.
    public var strideY: Int
    /// Horizontal stride.
    public var strideX: Int
    /// Zero padding on each side.
    public var padding: Padding
    /// Channel groups: each output channel sees `inputChannels / groups` inputs (depthwise: groups = C_in).
    public var groups: Int

    /// A convolution shape; defaults give stride 1, no padding, one group.
    public init(
        inputChannels: Int, inputHeight: Int, inputWidth: Int, outputChannels: Int,
        kernelHeight: Int, kernelWidth: Int, strideY: Int = 1, strideX: Int = 1,
        padding: Padding = .zero, groups: Int = 1
    ) {
        self.inputChannels = inputChannels
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputChannels = outputChannels
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.strideY = strideY
        self.strideX = strideX
        self.padding = padding
        self.groups = groups
    }

    // MARK: - Derived sizes

    /// Output rows: (H + top + bottom - kh) / strideY + 1.
    public var outputHeight: Int {
        (inputHeight + padding.top + padding.bottom - kernelHeight) / strideY + 1
    }

    /// Output columns: (W + left + right - kw) / strideX + 1.
    public var outputWidth: Int {
        (inputWidth + padding.left + padding.right - kernelWidth) / strideX + 1
    }

    /// Input channels each output channel reads (C_in / groups).
    public var inputChannelsPerGroup: Int { inputChannels / groups }

    /// Output channels of each group (C_out / groups).
    public var outputChannelsPerGroup: Int { outputChannels / groups }

    /// The input tensor's shape.
    public var inputShape: TensorShape {
        TensorShape(height: inputHeight, width: inputWidth, channels: inputChannels)
    }

    /// The output tensor's shape.
    public var outputShape: TensorShape {
        TensorShape(height: outputHeight, width: outputWidth, channels: outputChannels)
    }

    /// Number of weights, laid out [outputChannels][kernelHeight][kernelWidth][inputChannels / groups].
    public var weightCount: Int { outputChannels * kernelHeight * kernelWidth * inputChannelsPerGroup }

    // MARK: - Figures

    /// Multiply-accumulates of one forward pass.
    public var macs: Int {
        outputHeight * outputWidth * outputChannels * kernelHeight * kernelWidth * inputChannelsPerGroup
    }

    /// Floating-point operations of one forward pass (2 x MACs).
    public var flops: Int { 2 * macs }

    /// Weights plus one bias per output channel.
    public var parameterCount: Int { weightCount + outputChannels }

    /// Bytes read and written at least once per forward pass: input + weights + bias + output, float32.
    public var bytesMoved: Int {
        (inputShape.elementCount + parameterCount + outputShape.elementCount) * MemoryLayout<Float>.stride
    }

    /// True when every output channel reads exactly one input channel of its own (groups = C_in = C_out).
    public var isDepthwise: Bool { groups == inputChannels && outputChannels == inputChannels }

    /// True for a 1x1, stride-1, unpadded convolution: a plain matrix product on NHWC pixels.
    public var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padding == .zero
    }
}

// MARK: - Validation

extension ConvolutionShape {
    /// Throws `ConvolutionError.invalidShape` naming the first field that makes this shape impossible.
    public func validate() throws(ConvolutionError) {
        let positive: [(String, Int)] = [
            ("inputChannels", inputChannels), ("inputHeight", inputHeight), ("inputWidth", inputWidth),
            ("outputChannels", outputChannels), ("kernelHeight", kernelHeight), ("kernelWidth", kernelWidth),
            ("strideY", strideY), ("strideX", strideX), ("groups", groups),
        ]
        for (field, value) in positive where value <= 0 {
            throw .invalidShape(field: field, problem: "must be positive, got \(value)")
        }
        let sides: [(String, Int)] = [
            ("padding.top", padding.top), ("padding.left", padding.left),
            ("padding.bottom", padding.bottom), ("padding.right", padding.right),
        ]
        for (field, value) in sides where value < 0 {
            throw .invalidShape(field: field, problem: "must not be negative, got \(value)")
        }
        if inputChannels % groups != 0 {
            throw .invalidShape(field: "groups", problem: "\(groups) does not divide the \(inputChannels) input channels")
        }
        if outputChannels % groups != 0 {
            throw .invalidShape(field: "groups", problem: "\(groups) does not divide the \(outputChannels) output channels")
        }
        let paddedHeight = inputHeight + padding.top + padding.bottom
        if kernelHeight > paddedHeight {
            throw .invalidShape(field: "kernelHeight",
                                problem: "\(kernelHeight) is larger than the padded input height \(paddedHeight)")
        }
        let paddedWidth = inputWidth + padding.left + padding.right
        if kernelWidth > paddedWidth {
            throw .invalidShape(field: "kernelWidth",
                                problem: "\(kernelWidth) is larger than the padded input width \(paddedWidth)")
        }
    }

    /// Throws `ConvolutionError.invalidShape` for groups other than 1, which `kernel` (e.g. "a
    /// sparse convolution") does not run.
    func requireUngrouped(by kernel: String) throws(ConvolutionError) {
        guard groups == 1 else {
            throw .invalidShape(field: "groups", problem: "\(kernel) needs groups = 1, got \(groups)")
        }
    }

    /// Throws `ConvolutionError.wrongCount` unless the array named `field` (`count` values) holds
    /// one value per weight.
    func checkWeightCount(_ count: Int, field: String = "weights") throws(ConvolutionError) {
        guard count == weightCount else { throw .wrongCount(field: field, expected: weightCount, actual: count) }
    }

    /// Throws `ConvolutionError.wrongCount` unless `bias` is nil or holds one value per output channel.
    func checkBias(_ bias: [Float]?) throws(ConvolutionError) {
        if let bias, bias.count != outputChannels {
            throw .wrongCount(field: "bias", expected: outputChannels, actual: bias.count)
        }
    }
}

// MARK: - Description

extension ConvolutionShape: CustomStringConvertible {
    /// e.g. `56x56x64 -> 56x56x64, k3x3 s1x1 p1 g1`.
    public var description: String {
        "\(inputShape) -> \(outputShape), k\(kernelHeight)x\(kernelWidth) s\(strideY)x\(strideX) p\(padding) g\(groups)"
    }
}

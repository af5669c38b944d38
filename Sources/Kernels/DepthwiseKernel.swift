import CFloatKernels

/// Direct depthwise convolution on NHWC data: weights pre-packed per tap, computed by the C kernel
/// of the layer's float kernel path (`FloatKernels.depthwiseRows`): `ep_f32_depthwise_rows_avx512`
/// (16 channels per zmm) or, on the `.simd` path, `ep_f32_depthwise_rows_simd` (AVX2 + FMA, 8
/// channels per ymm; NEON, 4 per q register). Both sum each output from its bias in (ky, kx) order
/// with fused multiply-adds over the taps inside the input (the same bits on every path) and fuse
/// the activation's clamp into the store; neither reads past a pixel's channels.
///
/// Packed layout: for each tap (ky, kx), `paddedChannels` contiguous weights (channel c at offset c).
final class DepthwiseKernel: @unchecked Sendable {
    let shape: ConvolutionShape
    /// The kernel path `run` takes.
    let path: FloatKernelPath
    /// Channels rounded up to a multiple of 8: each tap's weights start 32-byte aligned.
    let paddedChannels: Int
    private let weights: AlignedBuffer
    private let biases: AlignedBuffer
    /// The path's depthwise kernel.
    private let rows: FloatKernels.DepthwiseRows
    /// The kernel's description of this layer.
    private let layer: UnsafeMutablePointer<ep_f32_depthwise>

    init(shape: ConvolutionShape, weights source: [Float], bias: [Float]?, activation: Activation,
         path: FloatKernelPath = .best) {
        precondition(path.isAvailable, "DepthwiseKernel: the \(path) kernels do not run on this CPU")
        self.shape = shape
        self.path = path
        let channels = shape.inputChannels
        paddedChannels = (channels + 7) / 8 * 8
        let taps = shape.kernelHeight * shape.kernelWidth
        weights = AlignedBuffer(count: taps * paddedChannels)
        biases = AlignedBuffer(count: paddedChannels)
        for channel in 0..<channels {
            biases.pointer[channel] = bias?[channel] ?? 0
            for tap in 0..<taps {
                weights.pointer[tap * paddedChannels + channel] = source[channel * taps + tap]
            }
        }
        rows = path.kernels.depthwiseRows
        layer = UnsafeMutablePointer<ep_f32_depthwise>.allocate(capacity: 1)
        layer.initialize(to: ep_f32_depthwise(
            input_height: shape.inputHeight, input_width: shape.inputWidth, channels: channels,
            kernel_height: shape.kernelHeight, kernel_width: shape.kernelWidth, stride_y: shape.strideY,
            stride_x: shape.strideX, pad_top: shape.padding.top, pad_left: shape.padding.left,
            output_width: shape.outputWidth, weights: weights.pointer, weight_stride: paddedChannels,
            bias: biases.pointer, lower: activation.lowerBound, upper: activation.upperBound))
    }

    deinit { layer.deallocate() }

    /// Computes output rows `rows`, writing them to `output` (which points at the first of them).
    /// `input` addresses the whole input tensor; only the input rows those output rows' windows
    /// cover are read.
    func run(rows: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        self.rows(layer, input, rows.lowerBound, rows.upperBound, output)
    }
}

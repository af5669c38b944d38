import CFloatKernels

/// Direct depthwise convolution on NHWC data: SIMD over channels, weights pre-packed per tap.
/// On a path with its own depthwise kernel (AVX512F: `ep_f32_depthwise_rows_avx512`, 16 channels
/// per register) `run` calls it; elsewhere the Swift SIMD blocks below run (AVX2 + FMA, NEON).
///
/// Packed layout: for each tap (ky, kx), `paddedChannels` contiguous weights (channel c at offset c),
/// so one vector load serves 8 channels of one tap. Bias and activation are fused into the store.
///
/// Channel counts that are not a multiple of 8 end with a partial vector: its loads may read up to
/// 7 floats past a pixel's channels (the next pixel, or the slack every `Tensor` buffer carries past
/// its last element), and only the real channels are stored.
final class DepthwiseKernel: @unchecked Sendable {
    let shape: ConvolutionShape
    /// The kernel path `run` takes.
    let path: FloatKernelPath
    /// Channels rounded up to a multiple of the vector width.
    let paddedChannels: Int
    private let weights: AlignedBuffer
    private let biases: AlignedBuffer
    private let lower: Float
    private let upper: Float
    /// The path's depthwise kernel and its description of this layer (nil: the Swift blocks).
    private let native: (rows: FloatKernels.DepthwiseRows, layer: UnsafeMutablePointer<ep_f32_depthwise>)?

    init(shape: ConvolutionShape, weights source: [Float], bias: [Float]?, activation: Activation,
         path: FloatKernelPath = .best) {
        precondition(path.isAvailable, "DepthwiseKernel: the \(path) kernels do not run on this CPU")
        self.shape = shape
        self.path = path
        let channels = shape.inputChannels
        let width = FloatVector.scalarCount
        paddedChannels = (channels + width - 1) / width * width
        let taps = shape.kernelHeight * shape.kernelWidth
        weights = AlignedBuffer(count: taps * paddedChannels)
        biases = AlignedBuffer(count: paddedChannels)
        for channel in 0..<channels {
            biases.pointer[channel] = bias?[channel] ?? 0
            for tap in 0..<taps {
                weights.pointer[tap * paddedChannels + channel] = source[channel * taps + tap]
            }
        }
        lower = activation.lowerBound
        upper = activation.upperBound
        if let rows = path.kernels.depthwiseRows {
            let layer = UnsafeMutablePointer<ep_f32_depthwise>.allocate(capacity: 1)
            layer.initialize(to: ep_f32_depthwise(
                input_height: shape.inputHeight, input_width: shape.inputWidth, channels: channels,
                kernel_height: shape.kernelHeight, kernel_width: shape.kernelWidth, stride_y: shape.strideY,
                stride_x: shape.strideX, pad_top: shape.padding.top, pad_left: shape.padding.left,
                output_width: shape.outputWidth, weights: weights.pointer, weight_stride: paddedChannels,
                bias: biases.pointer, lower: lower, upper: upper))
            native = (rows, layer)
        } else {
            native = nil
        }
    }

    deinit { native?.layer.deallocate() }

    /// Computes output rows `rows`, writing them to `output` (which points at the first of them).
    ///
    /// Pixels whose taps are all inside the input columns go through an 8-pixel x 8-channel block
    /// (eight independent accumulator chains keep both FMA pipes busy); border pixels take the
    /// per-pixel path.
    func run(rows: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        if let native {
            native.rows(native.layer, input, rows.lowerBound, rows.upperBound, output)
            return
        }
        let channels = shape.inputChannels
        let outputWidth = shape.outputWidth
        let (strideX, left) = (shape.strideX, shape.padding.left)
        // Output columns whose kernel window lies fully inside the input columns.
        let interiorStart = min(outputWidth, (left + strideX - 1) / strideX)
        let interiorEnd = max(interiorStart,
                              min(outputWidth, (shape.inputWidth - shape.kernelWidth + left) / strideX + 1))
        // 8-pixel blocks tile the interior. For 3x3 stride 1, the remainder goes through 4-pixel
        // blocks, the last one overlapping the previous (overlapped pixels are recomputed with
        // identical results); elsewhere one overlapping 8-pixel block covers it. Only true border
        // pixels (and interiors too narrow for a block) take the per-pixel path.
        let interiorCount = interiorEnd - interiorStart
        let fullBlocks = interiorCount / Self.blockPixels
        let remainder = interiorCount - fullBlocks * Self.blockPixels
        let threeByThree = isThreeByThreeStrideOne
        let smallBlocks = threeByThree && interiorCount >= 4 ? (remainder + 3) / 4 : 0
        let overlapBlock = !threeByThree && fullBlocks > 0 && remainder > 0
        let blockEnd = fullBlocks > 0 || smallBlocks > 0 ? interiorEnd : interiorStart
        for outputY in rows {
            let outputRow = output + (outputY - rows.lowerBound) * outputWidth * channels
            for block in 0..<fullBlocks {
                let outputX = interiorStart + block * Self.blockPixels
                if threeByThree {
                    runBlock3x3(outputY: outputY, outputX: outputX, input: input, outputRow: outputRow)
                } else {
                    runBlock(outputY: outputY, outputX: outputX, input: input, outputRow: outputRow)
                }
            }
            for block in 0..<smallBlocks {
                let outputX = min(interiorStart + fullBlocks * Self.blockPixels + block * 4, interiorEnd - 4)
                runBlock3x3Four(outputY: outputY, outputX: outputX, input: input, outputRow: outputRow)
            }
            if overlapBlock {
                runBlock(outputY: outputY, outputX: interiorEnd - Self.blockPixels, input: input, outputRow: outputRow)
            }
            for outputX in 0..<outputWidth where outputX < interiorStart || outputX >= blockEnd {
                runPixel(outputY: outputY, outputX: outputX, input: input, outputRow: outputRow)
            }
        }
    }

    /// Output pixels per block.
    static let blockPixels = 8

    /// The MobileNet case, with its own block that loads each input column once per kernel row.
    private var isThreeByThreeStrideOne: Bool {
        shape.kernelHeight == 3 && shape.kernelWidth == 3 && shape.strideX == 1
    }

    /// `runBlock` for 3x3 kernels at horizontal stride 1: per kernel row, the 10 input columns under
    /// 8 output pixels are loaded once and each feeds up to three accumulators.
    @inline(__always)
    private func runBlock3x3(
        outputY: Int, outputX: Int, input: UnsafePointer<Float>, outputRow: UnsafeMutablePointer<Float>
    ) {
        let channels = shape.inputChannels
        let inputYBase = outputY * shape.strideY - shape.padding.top
        let kernelYStart = max(0, -inputYBase)
        let kernelYEnd = min(3, shape.inputHeight - inputYBase)
        let inputXBase = outputX - shape.padding.left
        let paddedChannels = self.paddedChannels
        var channel = 0
        while channel < channels {
            let bias = load(biases.pointer + channel)
            var s0 = bias, s1 = bias, s2 = bias, s3 = bias, s4 = bias, s5 = bias, s6 = bias, s7 = bias
            for ky in kernelYStart..<kernelYEnd {
                var column = input + ((inputYBase + ky) * shape.inputWidth + inputXBase) * channels + channel
                let weightRow = UnsafePointer(weights.pointer) + ky * 3 * paddedChannels + channel
                let w0 = load(weightRow)
                let w1 = load(weightRow + paddedChannels)
                let w2 = load(weightRow + 2 * paddedChannels)
                var x = load(column)
                s0 = s0.addingProduct(x, w0)
                column += channels; x = load(column)
                s0 = s0.addingProduct(x, w1); s1 = s1.addingProduct(x, w0)
                column += channels; x = load(column)
                s0 = s0.addingProduct(x, w2); s1 = s1.addingProduct(x, w1); s2 = s2.addingProduct(x, w0)
                column += channels; x = load(column)
                s1 = s1.addingProduct(x, w2); s2 = s2.addingProduct(x, w1); s3 = s3.addingProduct(x, w0)
                column += channels; x = load(column)
                s2 = s2.addingProduct(x, w2); s3 = s3.addingProduct(x, w1); s4 = s4.addingProduct(x, w0)
                column += channels; x = load(column)
                s3 = s3.addingProduct(x, w2); s4 = s4.addingProduct(x, w1); s5 = s5.addingProduct(x, w0)
                column += channels; x = load(column)
                s4 = s4.addingProduct(x, w2); s5 = s5.addingProduct(x, w1); s6 = s6.addingProduct(x, w0)
                column += channels; x = load(column)
                s5 = s5.addingProduct(x, w2); s6 = s6.addingProduct(x, w1); s7 = s7.addingProduct(x, w0)
                column += channels; x = load(column)
                s6 = s6.addingProduct(x, w2); s7 = s7.addingProduct(x, w1)
                column += channels; x = load(column)
                s7 = s7.addingProduct(x, w2)
            }
            let lanes = channels - channel
            var target = outputRow + outputX * channels + channel
            store(s0, target, count: lanes); target += channels
            store(s1, target, count: lanes); target += channels
            store(s2, target, count: lanes); target += channels
            store(s3, target, count: lanes); target += channels
            store(s4, target, count: lanes); target += channels
            store(s5, target, count: lanes); target += channels
            store(s6, target, count: lanes); target += channels
            store(s7, target, count: lanes)
            channel += FloatVector.scalarCount
        }
    }

    @inline(__always)
    private func load(_ pointer: UnsafePointer<Float>) -> FloatVector {
        UnsafeRawPointer(pointer).loadUnaligned(as: FloatVector.self)
    }

    /// Clamps and stores the first `count` lanes (all 8 when `count >= 8`).
    @inline(__always)
    private func store(_ value: FloatVector, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
        let clamped = value.clamped(FloatVector(repeating: lower), FloatVector(repeating: upper))
        if count >= FloatVector.scalarCount {
            UnsafeMutableRawPointer(pointer).storeBytes(of: clamped, as: FloatVector.self)
        } else {
            for lane in 0..<count { pointer[lane] = clamped[lane] }
        }
    }

    /// `runBlock3x3` for 4 output pixels (6 input columns per kernel row), for row remainders.
    @inline(__always)
    private func runBlock3x3Four(
        outputY: Int, outputX: Int, input: UnsafePointer<Float>, outputRow: UnsafeMutablePointer<Float>
    ) {
        let channels = shape.inputChannels
        let inputYBase = outputY * shape.strideY - shape.padding.top
        let kernelYStart = max(0, -inputYBase)
        let kernelYEnd = min(3, shape.inputHeight - inputYBase)
        let inputXBase = outputX - shape.padding.left
        let paddedChannels = self.paddedChannels
        var channel = 0
        while channel < channels {
            let bias = load(biases.pointer + channel)
            var s0 = bias, s1 = bias, s2 = bias, s3 = bias
            for ky in kernelYStart..<kernelYEnd {
                var column = input + ((inputYBase + ky) * shape.inputWidth + inputXBase) * channels + channel
                let weightRow = UnsafePointer(weights.pointer) + ky * 3 * paddedChannels + channel
                let w0 = load(weightRow)
                let w1 = load(weightRow + paddedChannels)
                let w2 = load(weightRow + 2 * paddedChannels)
                var x = load(column)
                s0 = s0.addingProduct(x, w0)
                column += channels; x = load(column)
                s0 = s0.addingProduct(x, w1); s1 = s1.addingProduct(x, w0)
                column += channels; x = load(column)
                s0 = s0.addingProduct(x, w2); s1 = s1.addingProduct(x, w1); s2 = s2.addingProduct(x, w0)
                column += channels; x = load(column)
                s1 = s1.addingProduct(x, w2); s2 = s2.addingProduct(x, w1); s3 = s3.addingProduct(x, w0)
                column += channels; x = load(column)
                s2 = s2.addingProduct(x, w2); s3 = s3.addingProduct(x, w1)
                column += channels; x = load(column)
                s3 = s3.addingProduct(x, w2)
            }
            let lanes = channels - channel
            var target = outputRow + outputX * channels + channel
            store(s0, target, count: lanes); target += channels
            store(s1, target, count: lanes); target += channels
            store(s2, target, count: lanes); target += channels
            store(s3, target, count: lanes)
            channel += FloatVector.scalarCount
        }
    }

    /// Eight horizontally adjacent interior output pixels, 8 channels at a time.
    @inline(__always)
    private func runBlock(
        outputY: Int, outputX: Int, input: UnsafePointer<Float>, outputRow: UnsafeMutablePointer<Float>
    ) {
        let channels = shape.inputChannels
        let inputYBase = outputY * shape.strideY - shape.padding.top
        let kernelYStart = max(0, -inputYBase)
        let kernelYEnd = min(shape.kernelHeight, shape.inputHeight - inputYBase)
        let kernelWidth = shape.kernelWidth
        let pixelStep = shape.strideX * channels
        let inputXBase = outputX * shape.strideX - shape.padding.left
        let weights = UnsafePointer(self.weights.pointer)
        let paddedChannels = self.paddedChannels
        var channel = 0
        while channel < channels {
            let bias = load(biases.pointer + channel)
            var s0 = bias, s1 = bias, s2 = bias, s3 = bias, s4 = bias, s5 = bias, s6 = bias, s7 = bias
            for ky in kernelYStart..<kernelYEnd {
                let row = input + ((inputYBase + ky) * shape.inputWidth + inputXBase) * channels + channel
                let weightRow = weights + ky * kernelWidth * paddedChannels + channel
                for kx in 0..<kernelWidth {
                    let w = load(weightRow + kx * paddedChannels)
                    let x = row + kx * channels
                    s0 = s0.addingProduct(load(x), w)
                    s1 = s1.addingProduct(load(x + pixelStep), w)
                    s2 = s2.addingProduct(load(x + 2 * pixelStep), w)
                    s3 = s3.addingProduct(load(x + 3 * pixelStep), w)
                    s4 = s4.addingProduct(load(x + 4 * pixelStep), w)
                    s5 = s5.addingProduct(load(x + 5 * pixelStep), w)
                    s6 = s6.addingProduct(load(x + 6 * pixelStep), w)
                    s7 = s7.addingProduct(load(x + 7 * pixelStep), w)
                }
            }
            let lanes = channels - channel
            let target = outputRow + outputX * channels + channel
            store(s0, target, count: lanes)
            store(s1, target + channels, count: lanes)
            store(s2, target + 2 * channels, count: lanes)
            store(s3, target + 3 * channels, count: lanes)
            store(s4, target + 4 * channels, count: lanes)
            store(s5, target + 5 * channels, count: lanes)
            store(s6, target + 6 * channels, count: lanes)
            store(s7, target + 7 * channels, count: lanes)
            channel += FloatVector.scalarCount
        }
    }

    /// One output pixel, all channels, with the kernel clipped to the input.
    private func runPixel(
        outputY: Int, outputX: Int, input: UnsafePointer<Float>, outputRow: UnsafeMutablePointer<Float>
    ) {
        let channels = shape.inputChannels
        let (inputHeight, inputWidth) = (shape.inputHeight, shape.inputWidth)
        let (kernelHeight, kernelWidth) = (shape.kernelHeight, shape.kernelWidth)
        let rowStride = kernelWidth * paddedChannels
        let weights = UnsafePointer(self.weights.pointer)
        let biases = UnsafePointer(self.biases.pointer)
        let inputYBase = outputY * shape.strideY - shape.padding.top
        let kernelYStart = max(0, -inputYBase)
        let kernelYEnd = min(kernelHeight, inputHeight - inputYBase)
        let inputXBase = outputX * shape.strideX - shape.padding.left
        let kernelXStart = max(0, -inputXBase)
        let kernelXEnd = min(kernelWidth, inputWidth - inputXBase)
        let pixelInput = input + (inputYBase * inputWidth + inputXBase) * channels
        let pixelOutput = outputRow + outputX * channels
        let width = FloatVector.scalarCount
        var channel = 0
        // Four vectors at a time: four independent FMA chains instead of one latency-bound chain.
        while channel + 4 * width <= channels {
            var sum0 = load(biases + channel), sum1 = load(biases + channel + width)
            var sum2 = load(biases + channel + 2 * width), sum3 = load(biases + channel + 3 * width)
            for ky in kernelYStart..<kernelYEnd {
                let inputRow = pixelInput + ky * inputWidth * channels + channel
                let weightRow = weights + ky * rowStride + channel
                for kx in kernelXStart..<kernelXEnd {
                    let x = inputRow + kx * channels
                    let w = weightRow + kx * paddedChannels
                    sum0 = sum0.addingProduct(load(x), load(w))
                    sum1 = sum1.addingProduct(load(x + width), load(w + width))
                    sum2 = sum2.addingProduct(load(x + 2 * width), load(w + 2 * width))
                    sum3 = sum3.addingProduct(load(x + 3 * width), load(w + 3 * width))
                }
            }
            store(sum0, pixelOutput + channel, count: width)
            store(sum1, pixelOutput + channel + width, count: width)
            store(sum2, pixelOutput + channel + 2 * width, count: width)
            store(sum3, pixelOutput + channel + 3 * width, count: width)
            channel += 4 * width
        }
        while channel < channels {
            var sum = load(biases + channel)
            for ky in kernelYStart..<kernelYEnd {
                let inputRow = pixelInput + ky * inputWidth * channels + channel
                let weightRow = weights + ky * rowStride + channel
                for kx in kernelXStart..<kernelXEnd {
                    sum = sum.addingProduct(load(inputRow + kx * channels), load(weightRow + kx * paddedChannels))
                }
            }
            store(sum, pixelOutput + channel, count: channels - channel)
            channel += width
        }
    }
}

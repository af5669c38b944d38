/// Direct depthwise convolution on NHWC data: SIMD over channels, weights pre-packed per tap.
///
/// Packed layout: for each tap (ky, kx), `paddedChannels` contiguous weights (channel c at offset c),
/// so one vector load serves 8 channels of one tap. Bias and activation are fused into the store.
final class DepthwiseKernel: @unchecked Sendable {
    let shape: ConvolutionShape
    /// Channels rounded up to a multiple of the vector width.
    let paddedChannels: Int
    private let weights: AlignedBuffer
    private let biases: AlignedBuffer
    private let lower: Float
    private let upper: Float

    init(shape: ConvolutionShape, weights source: [Float], bias: [Float]?, activation: Activation) {
        self.shape = shape
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
    }

    /// Computes output rows `rows`, writing them to `output` (which points at the first of them).
    func run(rows: Range<Int>, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        let channels = shape.inputChannels
        let (inputHeight, inputWidth) = (shape.inputHeight, shape.inputWidth)
        let (kernelHeight, kernelWidth) = (shape.kernelHeight, shape.kernelWidth)
        let outputWidth = shape.outputWidth
        let rowStride = kernelWidth * paddedChannels
        let low = FloatVector(repeating: lower)
        let high = FloatVector(repeating: upper)
        let weights = UnsafePointer(self.weights.pointer)
        let biases = UnsafePointer(self.biases.pointer)
        @inline(__always) func load(_ pointer: UnsafePointer<Float>) -> FloatVector {
            UnsafeRawPointer(pointer).loadUnaligned(as: FloatVector.self)
        }
        @inline(__always) func store(_ value: FloatVector, _ pointer: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(pointer).storeBytes(of: pointwiseMin(pointwiseMax(value, low), high),
                                                        as: FloatVector.self)
        }
        for outputY in rows {
            let inputYBase = outputY * shape.strideY - shape.padding.top
            let kernelYStart = max(0, -inputYBase)
            let kernelYEnd = min(kernelHeight, inputHeight - inputYBase)
            for outputX in 0..<outputWidth {
                let inputXBase = outputX * shape.strideX - shape.padding.left
                let kernelXStart = max(0, -inputXBase)
                let kernelXEnd = min(kernelWidth, inputWidth - inputXBase)
                let pixelInput = input + (inputYBase * inputWidth + inputXBase) * channels
                let pixelOutput = output + ((outputY - rows.lowerBound) * outputWidth + outputX) * channels
                var channel = 0
                while channel + 16 <= channels {
                    var sum0 = load(biases + channel)
                    var sum1 = load(biases + channel + 8)
                    for ky in kernelYStart..<kernelYEnd {
                        let inputRow = pixelInput + ky * inputWidth * channels + channel
                        let weightRow = weights + ky * rowStride + channel
                        for kx in kernelXStart..<kernelXEnd {
                            let x = inputRow + kx * channels
                            let w = weightRow + kx * paddedChannels
                            sum0 = sum0.addingProduct(load(x), load(w))
                            sum1 = sum1.addingProduct(load(x + 8), load(w + 8))
                        }
                    }
                    store(sum0, pixelOutput + channel)
                    store(sum1, pixelOutput + channel + 8)
                    channel += 16
                }
                while channel + 8 <= channels {
                    var sum = load(biases + channel)
                    for ky in kernelYStart..<kernelYEnd {
                        let inputRow = pixelInput + ky * inputWidth * channels + channel
                        let weightRow = weights + ky * rowStride + channel
                        for kx in kernelXStart..<kernelXEnd {
                            sum = sum.addingProduct(load(inputRow + kx * channels), load(weightRow + kx * paddedChannels))
                        }
                    }
                    store(sum, pixelOutput + channel)
                    channel += 8
                }
                while channel < channels {
                    var sum = biases[channel]
                    for ky in kernelYStart..<kernelYEnd {
                        for kx in kernelXStart..<kernelXEnd {
                            sum += pixelInput[(ky * inputWidth + kx) * channels + channel]
                                * weights[ky * rowStride + kx * paddedChannels + channel]
                        }
                    }
                    pixelOutput[channel] = min(max(sum, lower), upper)
                    channel += 1
                }
            }
        }
    }
}

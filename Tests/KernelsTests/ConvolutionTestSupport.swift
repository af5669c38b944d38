import Kernels
import Tensors

/// Random layers and the comparison every kernel test makes against `ReferenceConvolution`.
struct ConvolutionCase: CustomStringConvertible, Sendable {
    let shape: ConvolutionShape
    let activation: Activation
    let hasBias: Bool

    var description: String { "\(shape) \(activation)\(hasBias ? "" : " no-bias")" }

    /// Weights in [-1, 1) scaled by 1/sqrt(reduction length), so outputs stay O(1).
    func weights(seed: UInt64) -> [Float] {
        var generator = SplitMix64(seed: seed)
        let depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
        return generator.floats(shape.weightCount, scale: 1 / Float(depth).squareRoot())
    }

    func bias(seed: UInt64) -> [Float]? {
        guard hasBias else { return nil }
        var generator = SplitMix64(seed: seed &+ 99)
        return generator.floats(shape.outputChannels)
    }

    /// Largest absolute difference between the optimized layer and the reference, and the bound it must meet.
    func maxError(threads: Int = 1, seed: UInt64 = 1, path: FloatKernelPath = .best) throws -> (error: Float, bound: Float) {
        let weights = weights(seed: seed)
        let bias = bias(seed: seed)
        let input = Tensor.random(height: shape.inputHeight, width: shape.inputWidth,
                                  channels: shape.inputChannels, seed: seed &+ 7)
        let layer = try Convolution(shape: shape, weights: weights, bias: bias, activation: activation, path: path)
        let pool = ThreadPool(threadCount: threads)
        let output = layer.forward(input, pool: pool)
        let expected = ReferenceConvolution.forward(shape: shape, input: input, weights: weights, bias: bias,
                                                    activation: activation)
        return (maxAbsoluteDifference(output, expected), errorBound(shape))
    }
}

/// The bound every float32 kernel is held to (see `ReferenceConvolution.float32ErrorBound`).
func errorBound(_ shape: ConvolutionShape) -> Float {
    ReferenceConvolution.float32ErrorBound(shape)
}

func maxAbsoluteDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "shapes differ: \(a.shape) vs \(b.shape)")
    return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Reproducible random valid shapes covering odd sizes, strides 1-2, asymmetric padding and groups.
func randomConvolutionCases(count: Int, seed: UInt64) -> [ConvolutionCase] {
    var generator = SplitMix64(seed: seed)
    var cases: [ConvolutionCase] = []
    while cases.count < count {
        let groups = [1, 1, 1, 2, 3].randomElement(using: &generator)!
        let inputChannels = groups * Int.random(in: 1...13, using: &generator)
        let outputChannels = groups * Int.random(in: 1...21, using: &generator)
        let kernel = [1, 2, 3, 5].randomElement(using: &generator)!
        let padding = Padding(top: Int.random(in: 0...2, using: &generator), left: Int.random(in: 0...2, using: &generator),
                              bottom: Int.random(in: 0...2, using: &generator), right: Int.random(in: 0...2, using: &generator))
        let stride = Int.random(in: 1...2, using: &generator)
        let shape = ConvolutionShape(
            inputChannels: inputChannels, inputHeight: Int.random(in: 1...11, using: &generator),
            inputWidth: Int.random(in: 1...11, using: &generator), outputChannels: outputChannels,
            kernelHeight: kernel, kernelWidth: kernel, strideY: stride, strideX: stride, padding: padding, groups: groups)
        guard (try? shape.validate()) != nil else { continue }
        cases.append(ConvolutionCase(shape: shape, activation: Activation.allCases.randomElement(using: &generator)!,
                                     hasBias: Bool.random(using: &generator)))
    }
    return cases
}

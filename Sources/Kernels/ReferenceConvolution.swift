import Tensors

/// The obvious, slow convolution: direct loops with Double accumulation. Tests check every
/// optimized kernel against it.
public enum ReferenceConvolution {
    /// The largest absolute difference a float32 kernel may have from `forward` on inputs in [0, 1)
    /// and weights scaled by 1/sqrt(reduction length) (outputs O(1)): float32 accumulation error
    /// grows with the reduction length. Every engine's kernels are held to it.
    public static func float32ErrorBound(_ shape: ConvolutionShape) -> Float {
        let depth = shape.kernelHeight * shape.kernelWidth * shape.inputChannelsPerGroup
        return 1e-5 + Float(depth).squareRoot() * 4e-6
    }

    /// Convolves `input` (NHWC) with `weights` laid out [outC][kh][kw][inC/groups], adds `bias`
    /// (or zero) and applies `activation`.
    public static func forward(
        shape: ConvolutionShape, input: Tensor, weights: [Float], bias: [Float]?, activation: Activation
    ) -> Tensor {
        precondition(input.shape == shape.inputShape, "ReferenceConvolution: input \(input.shape) != \(shape.inputShape)")
        precondition(weights.count == shape.weightCount, "ReferenceConvolution: weights.count != \(shape.weightCount)")
        let inputValues = input.values
        let cinG = shape.inputChannelsPerGroup
        let coutG = shape.outputChannelsPerGroup
        let (kh, kw) = (shape.kernelHeight, shape.kernelWidth)
        var result = [Float](repeating: 0, count: shape.outputShape.elementCount)
        for oy in 0..<shape.outputHeight {
            for ox in 0..<shape.outputWidth {
                for oc in 0..<shape.outputChannels {
                    let group = oc / coutG
                    var sum = Double(bias?[oc] ?? 0)
                    for ky in 0..<kh {
                        let iy = oy * shape.strideY - shape.padding.top + ky
                        guard iy >= 0 && iy < shape.inputHeight else { continue }
                        for kx in 0..<kw {
                            let ix = ox * shape.strideX - shape.padding.left + kx
                            guard ix >= 0 && ix < shape.inputWidth else { continue }
                            for ci in 0..<cinG {
                                let x = inputValues[(iy * shape.inputWidth + ix) * shape.inputChannels + group * cinG + ci]
                                let w = weights[((oc * kh + ky) * kw + kx) * cinG + ci]
                                sum += Double(x) * Double(w)
                            }
                        }
                    }
                    result[(oy * shape.outputWidth + ox) * shape.outputChannels + oc] = activation.apply(Float(sum))
                }
            }
        }
        return Tensor(height: shape.outputHeight, width: shape.outputWidth, channels: shape.outputChannels,
                      values: result)
    }
}

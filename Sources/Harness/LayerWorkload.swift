import Kernels
import Tensors

/// A suite layer made runnable: its convolutions with seeded random weights, and the tensors
/// they read and write, allocated once so timing sees only the kernels.
final class LayerWorkload {
    /// The layer this runs.
    let layer: SuiteLayer
    private let convolutions: [Convolution]
    /// The input, each intermediate result, and the output.
    private var tensors: [Tensor]

    /// Builds the layer with weights drawn from `generator` (He-style scale, so activations stay
    /// in a realistic range) and a random input.
    init(layer: SuiteLayer, generator: inout SplitMix64) throws {
        self.layer = layer
        let shapes = layer.convolutionShapes
        var convolutions: [Convolution] = []
        for shape in shapes {
            let fanIn = shape.kernelHeight * shape.kernelWidth * (shape.inputChannels / shape.groups)
            let scale = Float((2.0 / Double(fanIn)).squareRoot())
            let weights = (0..<shape.weightCount).map { _ in Float.random(in: -scale...scale, using: &generator) }
            let bias = (0..<shape.outputChannels).map { _ in Float.random(in: -0.1...0.1, using: &generator) }
            convolutions.append(try Convolution(shape: shape, weights: weights, bias: bias, activation: layer.activation))
        }
        self.convolutions = convolutions
        let first = shapes[0]
        var tensors = [Tensor.random(
            height: first.inputHeight, width: first.inputWidth, channels: first.inputChannels, seed: generator.next())]
        for shape in shapes {
            tensors.append(Tensor(height: shape.outputHeight, width: shape.outputWidth, channels: shape.outputChannels))
        }
        self.tensors = tensors
    }

    /// Runs one inference of the layer.
    func run(pool: ThreadPool) {
        for index in convolutions.indices {
            convolutions[index].forward(tensors[index], into: &tensors[index + 1], pool: pool)
        }
        blackHole(tensors[tensors.count - 1])
    }
}

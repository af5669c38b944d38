import Kernels
import Models
import Tensors

/// A suite layer made runnable: its convolutions with seeded random weights, and the tensors
/// they read and write, allocated once so timing sees only the kernels.
final class LayerWorkload {
    /// The layer this runs.
    let layer: SuiteLayer
    private let convolutions: [ConvolutionLayer]
    /// The input, each intermediate result, and the output.
    private var tensors: [Tensor]

    /// Builds the layer with weights and input drawn from `initializer`.
    init(layer: SuiteLayer, initializer: inout WeightInitializer) throws(ModelError) {
        self.layer = layer
        let shapes = layer.convolutionShapes
        var convolutions: [ConvolutionLayer] = []
        for (index, shape) in shapes.enumerated() {
            convolutions.append(try initializer.convolution(
                name: "\(layer.name)[\(index)]", shape: shape, activation: layer.activation))
        }
        self.convolutions = convolutions
        tensors = [initializer.input(shapes[0].inputShape)] + shapes.map { Tensor(shape: $0.outputShape) }
    }

    /// Runs one inference of the layer.
    func run(pool: ThreadPool) {
        for index in convolutions.indices {
            convolutions[index].forward(tensors[index], into: &tensors[index + 1], pool: pool)
        }
        blackHole(tensors[tensors.count - 1])
    }
}

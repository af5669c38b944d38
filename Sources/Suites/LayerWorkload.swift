import Kernels
import Measurement
import Models
import Profiles
import Tensors

/// A suite layer made runnable: its kernel with seeded random weights, and the tensors it reads
/// and writes, allocated once so timing sees only the kernel. A separable layer runs the fused
/// depthwise-separable block, which keeps its intermediate in cache-sized bands.
public final class LayerWorkload {
    /// The layer this runs.
    public let layer: SuiteLayer
    private let input: Tensor
    private var output: Tensor
    private let forward: (Tensor, inout Tensor, ThreadPool) -> Void

    /// Builds the layer with weights and input drawn from `initializer`.
    public init(layer: SuiteLayer, initializer: inout WeightInitializer) throws(ModelError) {
        self.layer = layer
        let shapes = layer.convolutionShapes
        input = initializer.input(shapes[0].inputShape)
        output = Tensor(shape: shapes[shapes.count - 1].outputShape)
        if layer.operation == .separable {
            let (depthwise, pointwise) = (shapes[0], shapes[1])
            let block: DepthwiseSeparableConvolution
            do {
                block = try DepthwiseSeparableConvolution(
                    shape: DepthwiseSeparableShape(
                        inputChannels: depthwise.inputChannels, inputHeight: depthwise.inputHeight,
                        inputWidth: depthwise.inputWidth, outputChannels: pointwise.outputChannels,
                        kernelSize: layer.kernel, stride: layer.stride, padding: depthwise.padding),
                    depthwiseWeights: initializer.weights(for: depthwise), depthwiseBias: initializer.bias(for: depthwise),
                    pointwiseWeights: initializer.weights(for: pointwise), pointwiseBias: initializer.bias(for: pointwise),
                    activation: layer.activation)
            } catch {
                throw .invalidLayer(layer: layer.name, error)
            }
            forward = { block.forward($0, into: &$1, pool: $2) }
        } else {
            let convolution = try initializer.convolution(name: layer.name, shape: shapes[0], activation: layer.activation)
            forward = { convolution.forward($0, into: &$1, pool: $2) }
        }
    }

    /// Runs one inference of the layer.
    public func run(pool: ThreadPool) {
        forward(input, &output, pool)
        blackHole(output)
    }
}

import Engines
import Kernels
import Measurement
import Models
import Profiles
import Tensors
import XNNPACKEngine

/// A suite layer made runnable on one engine: its kernel with seeded random weights, and the
/// tensors it reads and writes, allocated once so timing sees only the kernel.
///
/// On edgeprobe a separable layer runs the fused depthwise-separable block, which keeps its
/// intermediate in cache-sized bands; on XNNPACK it runs the depthwise and the pointwise operator
/// one after the other, as LiteRT's delegate would. Both engines draw the same weights and input
/// from the same initializer state. In int8 (`LayerWorkload+Int8.swift`) a layer runs on
/// edgeprobe's `Int8Convolution` or XNNPACK's qc8 operator.
public final class LayerWorkload {
    /// The layer this runs.
    public let layer: SuiteLayer
    /// The engine that runs it.
    public let engine: Engine
    /// The number format it computes in.
    public let precision: Precision
    private let input: Tensor
    private var output: Tensor
    private let kernel: Kernel

    /// What runs: edgeprobe's layer from `input` into `output`, or XNNPACK operators set up on
    /// their own buffers (holding a copy of `input`, or its int8 codes).
    enum Kernel {
        case edgeprobe((Tensor, inout Tensor) -> Void)
        case xnnpack(XNNPACKNetwork)
        case xnnpackInt8(XNNPACKInt8Convolution)
    }

    /// Builds the layer for `engine` in `precision` with weights and input drawn from `initializer`, running on `threads`.
    /// - Throws: `ModelError` for a layer edgeprobe cannot build, `XNNPACKError` for one XNNPACK refuses,
    ///   `Int8LayerUnsupported` for an int8 layer the engine has no kernel for.
    public init(
        layer: SuiteLayer, engine: Engine, precision: Precision = .float32, threads: EngineThreads,
        initializer: inout WeightInitializer
    ) throws {
        self.layer = layer
        self.engine = engine
        self.precision = precision
        let shapes = layer.convolutionShapes
        let input = initializer.input(shapes[0].inputShape)
        self.input = input
        output = Tensor(shape: shapes[shapes.count - 1].outputShape)
        switch engine {
        case _ where precision == .int8:
            kernel = try Self.int8(layer: layer, engine: engine, input: input, threads: threads, initializer: &initializer)
        case .edgeprobe:
            kernel = .edgeprobe(try Self.edgeprobe(layer: layer, shapes: shapes, pool: threads.pool!,
                                                   initializer: &initializer))
        case .xnnpack:
            let definitions = shapes.enumerated().map { index, shape in
                ConvolutionDefinition(name: shapes.count == 1 ? layer.name : "\(layer.name).\(index)", shape: shape,
                                      activation: layer.activation, weights: initializer.weights(for: shape),
                                      bias: initializer.bias(for: shape))
            }
            let network = try XNNPACKNetwork(ModelDefinition(name: layer.name, convolutions: definitions),
                                             threads: threads.xnnpack!)
            input.withUnsafeBufferPointer { source in _ = network.inputValues.update(fromContentsOf: source) }
            kernel = .xnnpack(network)
        }
    }

    private static func edgeprobe(
        layer: SuiteLayer, shapes: [ConvolutionShape], pool: ThreadPool, initializer: inout WeightInitializer
    ) throws(ModelError) -> (Tensor, inout Tensor) -> Void {
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
            return { block.forward($0, into: &$1, pool: pool) }
        }
        let convolution = try initializer.convolution(name: layer.name, shape: shapes[0], activation: layer.activation)
        return { convolution.forward($0, into: &$1, pool: pool) }
    }

    /// Runs one inference of the layer.
    public func run() {
        switch kernel {
        case .edgeprobe(let forward):
            forward(input, &output)
            blackHole(output)
        case .xnnpack(let network):
            network.run()
            blackHole(network.outputValues.first)
        case .xnnpackInt8(let convolution):
            convolution.run()
            blackHole(convolution.outputCodes.first)
        }
    }
}

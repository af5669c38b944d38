import Compression
import Kernels
import Tensors

/// A feed-forward model as convolution definitions and the steps that wire them into layers
/// (single convolutions, residual blocks, pooling): the source every variant (dense, sparse,
/// int8, decoded from a compressed file) is built from.
public struct ModelDefinition: Sendable, Equatable {
    /// The model's name.
    public let name: String
    /// The convolutions in order.
    public var convolutions: [ConvolutionDefinition]
    /// The network's layers in order; every convolution appears in exactly one step.
    public let steps: [ModelStep]

    /// A model of `convolutions` wired by `steps` (default: each convolution a layer, in order).
    public init(name: String, convolutions: [ConvolutionDefinition], steps: [ModelStep]? = nil) {
        self.name = name
        self.convolutions = convolutions
        self.steps = steps ?? convolutions.indices.map { .convolution($0) }
    }

    /// What the first convolution reads.
    public var inputShape: TensorShape { convolutions[0].shape.inputShape }

    /// Weights and biases (a).
    public var parameterCount: Int { convolutions.reduce(0) { $0 + $1.weights.count + $1.bias.count } }
    /// Nonzero weights plus biases.
    public var nonzeroParameterCount: Int { convolutions.reduce(0) { $0 + $1.nonzeroWeightCount + $1.bias.count } }

    // MARK: - Building networks

    /// A network whose convolution layers `makeLayer` builds from each definition, wired by `steps`.
    public func network(_ makeLayer: (ConvolutionDefinition) throws(ModelError) -> any NetworkLayer) throws(ModelError) -> Network {
        var layers: [any NetworkLayer] = []
        for step in steps {
            switch step {
            case .convolution(let index):
                layers.append(try makeLayer(convolutions[index]))
            case .block(let name, let range, let hasSkip):
                var blockSteps: [any NetworkLayer] = []
                for index in range { blockSteps.append(try makeLayer(convolutions[index])) }
                layers.append(try InvertedResidualBlock(name: name, steps: blockSteps, hasSkip: hasSkip))
            case .globalAveragePool(let name, let input):
                layers.append(GlobalAveragePool(name: name, inputShape: input))
            case .maxPool(let name, let input):
                do throws(ConvolutionError) {
                    layers.append(MaxPoolLayer(name: name, kernel: try MaxPool(inputShape: input)))
                } catch {
                    throw .invalidLayer(layer: name, error)
                }
            }
        }
        return try Network(name: name, layers: layers)
    }

    /// The dense float32 network.
    public func denseNetwork() throws(ModelError) -> Network {
        try network { definition throws(ModelError) in try definition.denseLayer() }
    }

    /// The network with CSR kernels for every groups-1 layer.
    public func sparseNetwork() throws(ModelError) -> Network {
        try network { definition throws(ModelError) in try definition.sparseLayer() }
    }

    // MARK: - Compressed model file

    /// The model's weights as a compressed model file: `<layer>.weight` encoded as `encoding`
    /// chooses, `<layer>.bias` as float32.
    public func compressedFile(encoding: (ConvolutionDefinition) -> LayerEncoding) -> CompressedModelFile {
        compressedFile { definition, name, shape in
            ModelSection(name: name, weights: definition.weights, shape: shape, encoding: encoding(definition))
        }
    }

    /// The compressed model file whose weight sections `weightSection(layer, name, shape)` encodes
    /// (`name` is `<layer>.weight`, `shape` [out][ky][kx][in per group]); biases are float32.
    public func compressedFile(weightSection: (ConvolutionDefinition, String, [Int]) -> ModelSection) -> CompressedModelFile {
        var sections: [ModelSection] = []
        for definition in convolutions {
            let shape = definition.shape
            sections.append(weightSection(
                definition, "\(definition.name).weight",
                [shape.outputChannels, shape.kernelHeight, shape.kernelWidth, shape.inputChannelsPerGroup]))
            sections.append(ModelSection(
                name: "\(definition.name).bias", weights: definition.bias, shape: [shape.outputChannels], encoding: .float32))
        }
        return CompressedModelFile(sections: sections)
    }

    /// This model's structure with every weight and bias decoded from `file`.
    /// - Throws: `ModelFileError` for a missing section, a payload that does not decode, or a
    ///   section whose shape is not the layer's.
    public func loading(_ file: CompressedModelFile) throws(ModelFileError) -> ModelDefinition {
        var loaded = self
        for index in loaded.convolutions.indices {
            let definition = loaded.convolutions[index]
            let shape = definition.shape
            let weights = try file.section(named: "\(definition.name).weight")
            let expected = [shape.outputChannels, shape.kernelHeight, shape.kernelWidth, shape.inputChannelsPerGroup]
            guard weights.shape == expected else {
                throw .malformed(field: "section \"\(weights.name)\" shape", problem: "is \(weights.shape), the model needs \(expected)")
            }
            let bias = try file.section(named: "\(definition.name).bias")
            guard bias.shape == [shape.outputChannels] else {
                throw .malformed(field: "section \"\(bias.name)\" shape", problem: "is \(bias.shape), the model needs [\(shape.outputChannels)]")
            }
            loaded.convolutions[index].weights = try weights.decodedWeights()
            loaded.convolutions[index].bias = try bias.decodedWeights()
        }
        return loaded
    }
}

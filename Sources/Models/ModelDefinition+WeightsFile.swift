import Kernels

/// One layer of a model read from a weights file: its name (tensors `<name>.weight`, `<name>.bias`),
/// geometry and fused activation.
public struct LayerSpec: Sendable {
    /// Layer name, e.g. `fc1`.
    public let name: String
    /// The geometry (a fully connected layer: the kernel covers the whole input).
    public let shape: ConvolutionShape
    /// The fused activation.
    public let activation: Activation

    /// A layer.
    public init(_ name: String, _ shape: ConvolutionShape, _ activation: Activation) {
        self.name = name
        self.shape = shape
        self.activation = activation
    }
}

extension ModelDefinition {
    /// The model `name` whose `layers` take `<layer>.weight` and `<layer>.bias` from the `EPDW`
    /// weights file at `path`, wired by `steps` (default: each layer in order).
    /// - Throws: `DigitsFileError` naming the file and a missing tensor or a wrong size.
    public init(name: String, layers: [LayerSpec], steps: [ModelStep]? = nil, weightsPath path: String) throws(DigitsFileError) {
        try self.init(name: name, layers: layers, steps: steps, tensors: try DigitsFiles.readWeights(path: path), path: path)
    }

    /// The model `name` whose `layers` take `<layer>.weight` and `<layer>.bias` from `tensors`, read
    /// from the weights file at `path` (which errors name), wired by `steps` (default: each layer in order).
    /// - Throws: `DigitsFileError` naming the file and a missing tensor or a wrong size.
    public init(name: String, layers: [LayerSpec], steps: [ModelStep]? = nil, tensors: [NamedTensor], path: String) throws(DigitsFileError) {
        func tensor(_ name: String, count: Int) throws(DigitsFileError) -> [Float] {
            guard let found = tensors.first(where: { $0.name == name }) else {
                throw DigitsFileError(path: path, problem: "no tensor named \(name)")
            }
            guard found.values.count == count else {
                throw DigitsFileError(path: path, problem: "\(name) has \(found.values.count) values, expected \(count)")
            }
            return found.values
        }
        var convolutions: [ConvolutionDefinition] = []
        for layer in layers {
            convolutions.append(ConvolutionDefinition(
                name: layer.name, shape: layer.shape, activation: layer.activation,
                weights: try tensor("\(layer.name).weight", count: layer.shape.weightCount),
                bias: try tensor("\(layer.name).bias", count: layer.shape.outputChannels)))
        }
        self.init(name: name, convolutions: convolutions, steps: steps)
    }
}

import Kernels

extension ModelDefinition {
    /// One-layer models of the model's regular and pointwise convolutions (groups 1), one per
    /// distinct shape, in order, each named after the first layer of that shape and its shape
    /// (e.g. `block1.0.expand 48x48x16→96 k1 s1`): the layers int8 and sparse kernels are
    /// measured on one by one.
    public func regularLayerModels() -> [ModelDefinition] {
        var seen: [ConvolutionShape] = []
        var models: [ModelDefinition] = []
        for definition in convolutions where definition.shape.groups == 1 && !seen.contains(definition.shape) {
            seen.append(definition.shape)
            let shape = definition.shape
            let name = "\(definition.name) \(shape.inputHeight)x\(shape.inputWidth)x\(shape.inputChannels)→\(shape.outputChannels)"
                + " k\(shape.kernelHeight) s\(shape.strideY)"
            models.append(ModelDefinition(name: name, convolutions: [definition]))
        }
        return models
    }
}

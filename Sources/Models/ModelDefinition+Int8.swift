import Compression
import Kernels
import Tensors

extension ModelDefinition {
    /// The range of each convolution's input seen when the dense float32 model runs on
    /// `calibrationInputs` (min-max, widened to contain 0 when quantized).
    public func calibratedInputRanges(_ calibrationInputs: [Tensor], pool: ThreadPool) throws(ModelError) -> [ClosedRange<Float>] {
        precondition(!calibrationInputs.isEmpty, "calibration needs at least one input")
        let layers = try convolutions.map { definition throws(ModelError) in try definition.denseLayer() }
        var calibrators = [ActivationRangeCalibrator](repeating: ActivationRangeCalibrator(), count: layers.count)
        for input in calibrationInputs {
            var current = input
            for (index, layer) in layers.enumerated() {
                calibrators[index].observe(current.values)
                var next = Tensor(shape: layer.outputShape)
                layer.forward(current, into: &next, pool: pool)
                current = next
            }
        }
        return calibrators.map { $0.range() ?? 0...0 }
    }

    /// The network with int8 kernels (per-channel weight scales, input ranges from calibration)
    /// for every groups-1 layer; grouped (depthwise) layers stay float32.
    public func int8Network(calibrationInputs: [Tensor], pool: ThreadPool) throws(ModelError) -> Network {
        let ranges = try calibratedInputRanges(calibrationInputs, pool: pool)
        var layers: [any NetworkLayer] = []
        for (definition, range) in zip(convolutions, ranges) {
            guard definition.shape.groups == 1 else {
                layers.append(try definition.denseLayer())
                continue
            }
            let inputQuantization = AffineQuantization(minimum: range.lowerBound, maximum: range.upperBound, type: .uint8)
            let weights = PerChannelWeightQuantization.quantize(definition.weights, outputChannels: definition.shape.outputChannels)
            do {
                layers.append(Int8ConvolutionLayer(name: definition.name, convolution: try Int8Convolution(
                    shape: definition.shape, weights: weights.values, weightScales: weights.scales, bias: definition.bias,
                    activation: definition.activation, inputScale: inputQuantization.scale,
                    inputZeroPoint: inputQuantization.zeroPoint)))
            } catch {
                throw .invalidLayer(layer: definition.name, error)
            }
        }
        return try Network(name: name, layers: layers)
    }
}

import Compression
import Kernels
import Tensors

extension ModelDefinition {
    /// The range of each convolution's input seen when the dense float32 model runs on
    /// `calibrationInputs` (min-max, widened to contain 0 when quantized).
    public func calibratedInputRanges(_ calibrationInputs: [Tensor], pool: ThreadPool) throws(ModelError) -> [ClosedRange<Float>] {
        precondition(!calibrationInputs.isEmpty, "calibration needs at least one input")
        var observers: [CalibratingLayer] = []
        let network = try network { definition throws(ModelError) in
            let observer = CalibratingLayer(try definition.denseLayer())
            observers.append(observer)
            return observer
        }
        for input in calibrationInputs { _ = network.forward(input, pool: pool) }
        // `network` visits the convolutions in step order, which is their order in `convolutions`.
        return observers.map { $0.calibrator.range() ?? 0...0 }
    }

    /// The network with int8 kernels (per-channel weight scales, input ranges from calibration)
    /// for every groups-1 layer; grouped (depthwise) layers stay float32.
    public func int8Network(calibrationInputs: [Tensor], pool: ThreadPool) throws(ModelError) -> Network {
        let ranges = try calibratedInputRanges(calibrationInputs, pool: pool)
        var next = 0
        return try network { definition throws(ModelError) in
            let range = ranges[next]
            next += 1
            guard definition.shape.groups == 1 else { return try definition.denseLayer() }
            let inputQuantization = AffineQuantization(minimum: range.lowerBound, maximum: range.upperBound, type: .uint8)
            return Int8ConvolutionLayer(name: definition.name, kernel: try definition.int8Convolution(inputQuantization: inputQuantization))
        }
    }
}

extension ConvolutionDefinition {
    /// The layer's int8 kernel: its weights quantized symmetric per output channel, its input read
    /// as `inputQuantization` codes (the kernel quantizes a float32 input on each run).
    /// - Throws: `ModelError.invalidLayer` naming the layer when the kernel cannot run it (groups other than 1).
    public func int8Convolution(inputQuantization: AffineQuantization) throws(ModelError) -> Int8Convolution {
        let quantized = PerChannelWeightQuantization.quantize(weights, outputChannels: shape.outputChannels)
        do throws(ConvolutionError) {
            return try Int8Convolution(
                shape: shape, weights: quantized.values, weightScales: quantized.scales, bias: bias, activation: activation,
                inputScale: inputQuantization.scale, inputZeroPoint: inputQuantization.zeroPoint)
        } catch {
            throw .invalidLayer(layer: name, error)
        }
    }
}

// MARK: - Calibration

/// A dense layer that records the range of every input it runs on.
private final class CalibratingLayer: NetworkLayer, @unchecked Sendable {
    let layer: any NetworkLayer
    var calibrator = ActivationRangeCalibrator()

    init(_ layer: any NetworkLayer) {
        self.layer = layer
    }

    var name: String { layer.name }
    var inputShape: TensorShape { layer.inputShape }
    var outputShape: TensorShape { layer.outputShape }
    var macs: Int { layer.macs }
    var parameterCount: Int { layer.parameterCount }

    func forward(_ input: Tensor, into output: inout Tensor, pool: ThreadPool) {
        calibrator.observe(input.values)
        layer.forward(input, into: &output, pool: pool)
    }
}

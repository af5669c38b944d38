import Compression
import Engines
import Kernels
import Models
import Profiles
import Tensors
import XNNPACKEngine

/// A suite layer an engine has no int8 kernel for (`bench --precision int8`).
public struct Int8LayerUnsupported: Error, CustomStringConvertible {
    /// The layer's name in the suite.
    public let layer: String
    /// The engine asked to run it.
    public let engine: Engine
    /// Why it cannot.
    public let reason: String

    public var description: String { "layer '\(layer)' cannot run in int8 on \(engine): \(reason)" }
}

extension LayerWorkload {
    /// Why `engine` cannot run `layer` in int8, or nil when it can. edgeprobe's `Int8Convolution`
    /// runs groups-1 convolutions (conv, pointwise); XNNPACK's qc8 operator runs any groups. A
    /// separable block runs on neither: int8 would requantize between its two convolutions, which
    /// the fused float32 block (and the single-operator int8 layers here) do not model.
    public static func int8Limitation(of layer: SuiteLayer, on engine: Engine) -> String? {
        if layer.operation == .separable {
            return "a separable block is measured in float32 only (its int8 form would requantize between two operators)"
        }
        let groups = layer.convolutionShapes[0].groups
        if engine == .edgeprobe, groups != 1 {
            return "edgeprobe's int8 kernels run groups-1 convolutions, this \(layer.operation.rawValue) layer has \(groups) groups"
        }
        return nil
    }

    /// The layer's int8 kernel on `engine`: the float32 weights `initializer` draws (as the float32
    /// layer would), quantized symmetric per output channel; `input`'s range as the input's
    /// quantization. edgeprobe quantizes the float32 input on each run and writes float32 (as
    /// `compress`'s int8 variant runs); XNNPACK reads the int8 codes of `input` and requantizes its
    /// output to int8 with the range the float32 layer writes on `input`.
    static func int8(
        layer: SuiteLayer, engine: Engine, input: Tensor, threads: EngineThreads, initializer: inout WeightInitializer
    ) throws -> Kernel {
        if let reason = int8Limitation(of: layer, on: engine) {
            throw Int8LayerUnsupported(layer: layer.name, engine: engine, reason: reason)
        }
        let shape = layer.convolutionShapes[0]
        let weights = initializer.weights(for: shape)
        let bias = initializer.bias(for: shape)
        let inputQuantization = Self.quantization(covering: input.values)
        switch engine {
        case .edgeprobe:
            let convolution = try ConvolutionDefinition(
                name: layer.name, shape: shape, activation: layer.activation, weights: weights, bias: bias
            ).int8Convolution(inputQuantization: inputQuantization)
            let pool = threads.pool!
            return .edgeprobe { convolution.forward($0, into: &$1, pool: pool) }
        case .xnnpack:
            let quantized = PerChannelWeightQuantization.quantize(weights, outputChannels: shape.outputChannels)
            let xnnpackThreads = threads.xnnpack!
            let float = try XNNPACKConvolution(
                shape: shape, weights: weights, bias: bias, activation: layer.activation, threads: xnnpackThreads)
            let outputQuantization = Self.quantization(covering: float.forward(input).values)
            let convolution = try XNNPACKInt8Convolution(
                shape: shape, weights: quantized.values, weightScales: quantized.scales, bias: bias,
                activation: layer.activation, inputScale: inputQuantization.scale, inputZeroPoint: inputQuantization.zeroPoint,
                outputScale: outputQuantization.scale, outputZeroPoint: outputQuantization.zeroPoint, threads: xnnpackThreads)
            _ = convolution.forward(input)  // fills the input codes run() reads
            return .xnnpackInt8(convolution)
        }
    }

    /// uint8 codes covering `values`' range (widened to contain 0), as a min-max calibration picks them.
    private static func quantization(covering values: [Float]) -> AffineQuantization {
        AffineQuantization(minimum: values.min() ?? 0, maximum: values.max() ?? 0, type: .uint8)
    }
}

import Kernels
import Tensors
import XNNPACKShim

/// An int8 NHWC convolution run by XNNPACK's channel-wise quantized operator (qc8, the one
/// LiteRT's delegate uses for per-channel quantized models): int8 activations in and out,
/// symmetric int8 weights with one scale per output channel, int32 accumulation, any groups.
///
/// The quantization follows `Int8Convolution`: the input's real value is
/// `inputScale * (code - inputZeroPoint)` with codes 0...255 (XNNPACK's int8 codes are those
/// minus 128). Unlike `Int8Convolution`, which writes float32, XNNPACK requantizes the output to
/// int8 with `outputScale` and `outputZeroPoint` (what the next int8 layer reads).
public final class XNNPACKInt8Convolution: @unchecked Sendable {
    /// The layer's geometry.
    public let shape: ConvolutionShape
    /// The fused activation (a clamp of the output codes).
    public let activation: Activation
    /// The input's quantization (codes 0...255).
    public let inputScale: Float
    public let inputZeroPoint: Int32
    /// The output's quantization (codes 0...255).
    public let outputScale: Float
    public let outputZeroPoint: Int32
    private let convolution: XNNPACKLayerOperator<Int8>

    /// Builds the layer from int8 weights [out][kh][kw][in / groups] (-127...127) with one scale per
    /// output channel and float bias (rounded to int32 in units of `inputScale * weightScales[c]`).
    /// - Throws: `XNNPACKError` for an impossible shape, wrong counts, scales that are not positive,
    ///   zero points outside 0...255, or a layer XNNPACK refuses.
    public init(
        shape: ConvolutionShape, weights: [Int8], weightScales: [Float], bias: [Float]?, activation: Activation,
        inputScale: Float, inputZeroPoint: Int32, outputScale: Float, outputZeroPoint: Int32, threads: XNNPACKThreads
    ) throws(XNNPACKError) {
        let label = "int8 convolution \(shape)"
        try XNNPACKConvolution.check(shape, weights: weights.count, bias: bias?.count, label: label)
        func fail(_ problem: String) -> XNNPACKError { XNNPACKError(operation: "create \(label)", problem: problem) }
        guard weightScales.count == shape.outputChannels else {
            throw fail("weightScales.count is \(weightScales.count), expected \(shape.outputChannels)")
        }
        for (field, scale) in [("inputScale", inputScale), ("outputScale", outputScale)] + weightScales.map({ ("weightScales", $0) })
        where !(scale > 0 && scale.isFinite) {
            throw fail("\(field) must be positive and finite, got \(scale)")
        }
        for (field, zeroPoint) in [("inputZeroPoint", inputZeroPoint), ("outputZeroPoint", outputZeroPoint)]
        where !(0...255).contains(zeroPoint) {
            throw fail("\(field) must be in 0...255, got \(zeroPoint)")
        }
        self.shape = shape
        self.activation = activation
        (self.inputScale, self.inputZeroPoint) = (inputScale, inputZeroPoint)
        (self.outputScale, self.outputZeroPoint) = (outputScale, outputZeroPoint)
        let bias32 = (0..<shape.outputChannels).map { channel in
            Int32((Double(bias?[channel] ?? 0) / (Double(inputScale) * Double(weightScales[channel]))).rounded())
        }
        let lower = Self.code(activation.lowerBound, scale: outputScale, zeroPoint: outputZeroPoint)
        let upper = Self.code(activation.upperBound, scale: outputScale, zeroPoint: outputZeroPoint)
        var geometry = shape.xnnpackGeometry
        let inputZero = Int8(truncatingIfNeeded: inputZeroPoint - 128)
        convolution = try XNNPACKLayerOperator(label, shape: shape, inputZero: inputZero, threads: threads, create: { made in
            ep_xnn_create_convolution_qc8(
                &geometry, inputZero, inputScale, weightScales, weights, bias32,
                Int8(outputZeroPoint - 128), outputScale, lower, upper, 1, made)
        }, setUp: { op, input, output in
            ep_xnn_setup_convolution_qc8(op, &geometry, input, output, threads.pool)
        })
    }

    /// The threads the layer runs on.
    public var threads: XNNPACKThreads { convolution.threads }

    /// XNNPACK's int8 code of `value`: round to nearest even, clamped, minus 128.
    static func code(_ value: Float, scale: Float, zeroPoint: Int32) -> Int8 {
        let code = (value / scale).rounded(.toNearestOrEven) + Float(zeroPoint)
        return Int8(min(max(code, 0), 255) - 128)
    }

    /// The int8 input codes `run()` reads (XNNPACK's: the 0...255 code minus 128).
    public var inputCodes: UnsafeMutableBufferPointer<Int8> { convolution.inputElements }

    /// The int8 output codes `run()` writes.
    public var outputCodes: UnsafeBufferPointer<Int8> { convolution.outputElements }

    /// Runs the layer on `inputCodes`, writing `outputCodes`.
    public func run() {
        convolution.run()
    }

    /// Quantizes `tensor` into the input codes, runs the layer and returns the dequantized output.
    public func forward(_ tensor: Tensor) -> Tensor {
        precondition(tensor.shape == shape.inputShape,
                     "XNNPACKInt8Convolution.forward: input is \(tensor.shape), the layer expects \(shape.inputShape)")
        let codes = inputCodes
        tensor.withUnsafeBufferPointer { source in
            for index in source.indices {
                codes[index] = Self.code(source[index], scale: inputScale, zeroPoint: inputZeroPoint)
            }
        }
        run()
        let values = outputCodes.map { outputScale * Float(Int32($0) + 128 - outputZeroPoint) }
        return Tensor(height: shape.outputHeight, width: shape.outputWidth, channels: shape.outputChannels, values: values)
    }
}

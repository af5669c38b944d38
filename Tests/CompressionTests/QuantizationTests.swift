import Testing
@testable import Compression

@Suite("int8 quantization")
struct QuantizationTests {
    // MARK: - Weights

    @Test("per-channel weights: |w − dq(q(w))| ≤ scale/2, each channel its own scale")
    func perChannelBound() {
        var random = SeededGenerator(seed: 41)
        let channels = 16
        let channelSize = 3 * 3 * 8
        // Channels with very different ranges, as in real conv layers.
        let weights = (0..<channels).flatMap { channel in
            random.weights(channelSize, standardDeviation: Float(channel + 1) * 0.01)
        }
        let quantized = PerChannelWeightQuantization.quantize(weights, outputChannels: channels)
        #expect(quantized.scales.count == channels)
        #expect(quantized.values.allSatisfy { $0 >= -127 })
        let restored = quantized.dequantized()
        for index in weights.indices {
            let scale = quantized.scales[index / channelSize]
            #expect(abs(weights[index] - restored[index]) <= scale / 2 * (1 + 1e-5))
        }
        for channel in 0..<channels {
            let largest = weights[channel * channelSize..<(channel + 1) * channelSize].map(abs).max()!
            #expect(abs(quantized.scales[channel] - largest / 127) <= largest * 1e-6)
        }
    }

    @Test("all-zero and extreme channels quantize without NaN; zero stays exactly zero")
    func perChannelEdges() {
        let weights: [Float] = [0, 0, 0, 0, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, 1]
        let quantized = PerChannelWeightQuantization.quantize(weights, outputChannels: 2)
        #expect(quantized.scales.allSatisfy { $0 > 0 && $0.isFinite })
        let restored = quantized.dequantized()
        #expect(Array(restored[0..<4]) == [0, 0, 0, 0])
        #expect(restored[6] == 0)
        #expect(quantized.values[4] == 127 && quantized.values[5] == -127)
        #expect(PerChannelWeightQuantization.quantize([], outputChannels: 3).values == [])
    }

    // MARK: - Activations

    @Test("affine parameters: zero is exact and values inside the range are within scale/2",
          arguments: [(Float(-3), Float(5), QuantizedType.uint8), (0, 6, .uint8), (-1, 1, .int8),
                      (0.5, 2, .int8), (-7, -2, .uint8), (-1e30, 1e30, .int8)])
    func affineBound(minimum: Float, maximum: Float, type: QuantizedType) {
        let parameters = AffineQuantization(minimum: minimum, maximum: maximum, type: type)
        #expect(type.range.contains(parameters.zeroPoint))
        #expect(parameters.dequantize(parameters.quantize(0)) == 0)
        var random = SeededGenerator(seed: 42)
        let values = [minimum, maximum] + (0..<2000).map { _ in Float.random(in: minimum...maximum, using: &random) }
        for value in values {
            let error = abs(value - parameters.dequantize(parameters.quantize(value)))
            #expect(error <= parameters.scale / 2 * (1 + 1e-4) + abs(value) * 1e-6)
        }
    }

    @Test("values outside the range clamp to the ends of the integer range")
    func affineClamp() {
        let parameters = AffineQuantization(minimum: -1, maximum: 1, type: .uint8)
        #expect(parameters.quantize(100) == 255)
        #expect(parameters.quantize(-100) == 0)
        let int8 = AffineQuantization(minimum: -1, maximum: 1, type: .int8)
        let values: [Float] = [-1, -0.5, 0, 0.25, 1]
        let restored = int8.dequantize(int8.quantizeToInt8(values))
        #expect(zip(values, restored).allSatisfy { abs($0 - $1) <= int8.scale / 2 * (1 + 1e-4) })
        let uint8 = parameters.dequantize(parameters.quantizeToUInt8(values))
        #expect(zip(values, uint8).allSatisfy { abs($0 - $1) <= parameters.scale / 2 * (1 + 1e-4) })
    }

    // MARK: - Calibration

    @Test("min/max calibration covers every observed value; nothing observed gives nil")
    func minMaxCalibration() {
        var calibrator = ActivationRangeCalibrator()
        #expect(calibrator.range() == nil)
        #expect(calibrator.parameters(type: .uint8) == nil)
        calibrator.observe([0.5, 2, -0.25])
        calibrator.observe([Float.nan, 1.5, .infinity])
        #expect(calibrator.observedCount == 4)
        #expect(calibrator.range() == -0.25...2)
        let parameters = calibrator.parameters(type: .uint8)!
        #expect(parameters == AffineQuantization(minimum: -0.25, maximum: 2, type: .uint8))
    }

    @Test("percentile calibration clips rare outliers")
    func percentileCalibration() {
        var calibrator = ActivationRangeCalibrator(method: .percentile(99))
        calibrator.observe((0..<1000).map { Float($0) / 1000 })
        calibrator.observe([1000])  // one outlier among 1001 values
        let range = calibrator.range()!
        #expect(range.upperBound < 1)
        #expect(range.upperBound > 0.98)
        #expect(range.lowerBound < 0.02)
    }
}

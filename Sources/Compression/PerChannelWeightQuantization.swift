// Symmetric per-output-channel int8 weight quantization (post-training).

/// int8 weights with one scale per output channel: weight ≈ `Float(values[i]) × scales[channel]`.
public struct PerChannelQuantizedWeights: Sendable, Equatable {
    /// Quantized weights in `-127...127`, in the same order as the float weights.
    public let values: [Int8]
    /// One scale per output channel.
    public let scales: [Float]

    /// Wraps quantized values and their per-channel scales.
    public init(values: [Int8], scales: [Float]) {
        precondition(scales.isEmpty ? values.isEmpty : values.count % scales.count == 0,
                     "values split evenly into channels")
        self.values = values
        self.scales = scales
    }

    /// Weights per output channel.
    public var channelSize: Int { scales.isEmpty ? 0 : values.count / scales.count }

    /// The float weights the int8 values stand for.
    public func dequantized() -> [Float] {
        let size = channelSize
        return values.indices.map { Float(values[$0]) * scales[$0 / size] }
    }
}

/// Quantizes weights laid out output channel first (e.g. conv weights [outC][kh][kw][inC]) to
/// int8, symmetric around 0 with scale = max|w| / 127 per channel, so 0 stays exactly 0 and the
/// int8 kernels need no weight zero-point. Each weight is off by at most scale/2.
public enum PerChannelWeightQuantization {
    /// The largest quantized magnitude; −128 is left unused to keep the range symmetric.
    public static let maxMagnitude: Float = 127

    /// Quantizes `weights`, which hold `outputChannels` equal-sized channels one after another.
    public static func quantize(_ weights: [Float], outputChannels: Int) -> PerChannelQuantizedWeights {
        precondition(outputChannels > 0 && weights.count % outputChannels == 0,
                     "weights split evenly into \(outputChannels) output channels")
        let channelSize = weights.count / outputChannels
        var values = [Int8](repeating: 0, count: weights.count)
        var scales = [Float](repeating: 0, count: outputChannels)
        for channel in 0..<outputChannels {
            let range = channel * channelSize..<(channel + 1) * channelSize
            let largest = weights[range].reduce(Float(0)) { max($0, abs($1)) }
            // An all-zero (or subnormal) channel still gets a usable, nonzero scale.
            let scale = max(largest / maxMagnitude, Float.leastNormalMagnitude)
            scales[channel] = scale
            for index in range {
                let scaled = (weights[index] / scale).rounded()
                values[index] = Int8(min(max(scaled, -maxMagnitude), maxMagnitude))
            }
        }
        return PerChannelQuantizedWeights(values: values, scales: scales)
    }
}

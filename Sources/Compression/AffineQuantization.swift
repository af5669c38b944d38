// Asymmetric (affine) 8-bit quantization of activations: x ≈ (q − zeroPoint) × scale.

/// The 8-bit integer type a tensor is quantized to.
public enum QuantizedType: Sendable, Equatable {
    /// Unsigned 0...255.
    case uint8
    /// Signed −128...127.
    case int8

    /// The representable integers.
    public var range: ClosedRange<Int32> {
        switch self {
        case .uint8: 0...255
        case .int8: -128...127
        }
    }
}

/// Scale and zero-point mapping floats to 8-bit integers: q = clamp(round(x / scale) + zeroPoint).
///
/// Built from a range that is first widened to contain 0, so 0 is exactly representable (zero
/// padding stays exact). Every x inside the range is reproduced within scale/2.
public struct AffineQuantization: Sendable, Equatable {
    /// Float step between neighbouring integers (positive).
    public let scale: Float
    /// The integer that stands for 0.0.
    public let zeroPoint: Int32
    /// The integer type.
    public let type: QuantizedType

    /// Wraps known parameters.
    public init(scale: Float, zeroPoint: Int32, type: QuantizedType) {
        precondition(scale > 0 && scale.isFinite, "scale is positive and finite")
        precondition(type.range.contains(zeroPoint), "zero point inside the integer range")
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.type = type
    }

    /// Parameters covering `minimum...maximum` (widened to include 0) with `type`'s 256 levels.
    public init(minimum: Float, maximum: Float, type: QuantizedType) {
        precondition(minimum.isFinite && maximum.isFinite && minimum <= maximum, "a finite range")
        let low = min(minimum, 0)
        let high = max(maximum, 0)
        let levels = Float(type.range.upperBound - type.range.lowerBound)
        // high/levels − low/levels rather than (high − low)/levels: no overflow at extreme ranges.
        let scale = max(high / levels - low / levels, Float.leastNormalMagnitude)
        let zeroPoint = (Float(type.range.lowerBound) - low / scale).rounded()
        let clamped = min(max(zeroPoint, Float(type.range.lowerBound)), Float(type.range.upperBound))
        self.init(scale: scale, zeroPoint: Int32(clamped), type: type)
    }

    // MARK: - Scalars

    /// The integer standing for `x`, clamped to the type's range.
    @inline(__always)
    public func quantize(_ x: Float) -> Int32 {
        let shifted = (x / scale).rounded() + Float(zeroPoint)
        let clamped = min(max(shifted, Float(type.range.lowerBound)), Float(type.range.upperBound))
        return Int32(clamped)
    }

    /// The float `q` stands for.
    @inline(__always)
    public func dequantize(_ q: Int32) -> Float {
        Float(q - zeroPoint) * scale
    }

    // MARK: - Buffers

    /// Quantizes to uint8 (the type must be `.uint8`).
    public func quantizeToUInt8(_ values: [Float]) -> [UInt8] {
        precondition(type == .uint8, "parameters are for \(type)")
        return values.map { UInt8(quantize($0)) }
    }

    /// Quantizes to int8 (the type must be `.int8`).
    public func quantizeToInt8(_ values: [Float]) -> [Int8] {
        precondition(type == .int8, "parameters are for \(type)")
        return values.map { Int8(quantize($0)) }
    }

    /// Dequantizes uint8 values.
    public func dequantize(_ values: [UInt8]) -> [Float] {
        values.map { dequantize(Int32($0)) }
    }

    /// Dequantizes int8 values.
    public func dequantize(_ values: [Int8]) -> [Float] {
        values.map { dequantize(Int32($0)) }
    }
}

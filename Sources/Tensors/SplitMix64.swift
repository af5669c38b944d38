/// SplitMix64: a tiny, fast, reproducible pseudo-random generator for test data and weights.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator whose sequence is fully determined by `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A float uniform in [-1, 1), from the top 24 bits of the next value.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * (2.0 / 16_777_216.0) - 1
    }

    /// `count` floats uniform in [-1, 1), each multiplied by `scale`.
    public mutating func floats(_ count: Int, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in nextUnitFloat() * scale }
    }
}

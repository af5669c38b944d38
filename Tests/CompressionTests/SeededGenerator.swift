// A small deterministic random number generator so property tests are reproducible.

/// SplitMix64 (Steele, Lea, Flood): fast, seedable, good enough for test data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }

    /// Bell-shaped, weight-like values: the sum of 12 uniforms minus 6 (Irwin–Hall), scaled.
    mutating func weights(_ count: Int, standardDeviation: Float = 1) -> [Float] {
        (0..<count).map { _ in
            var sum: Float = -6
            for _ in 0..<12 { sum += Float.random(in: 0..<1, using: &self) }
            return sum * standardDeviation
        }
    }

    /// Symbols with a geometric-like skew: small symbols far more frequent than large ones.
    mutating func skewedSymbols(_ count: Int, alphabetSize: Int) -> [Int] {
        (0..<count).map { _ in
            var symbol = 0
            while symbol < alphabetSize - 1 && Bool.random(using: &self) { symbol += 1 }
            return symbol
        }
    }
}

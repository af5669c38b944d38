// Deep Compression's sparse storage: nonzero values with the gap to the previous one.

/// A sparse vector stored as (gap, value) entries, the gap being the distance from the previous
/// entry's position (the first counts from position −1), as in Han et al., "Deep Compression".
///
/// Gaps are stored in `gapBits` bits as `gap − 1`, so they range over 1...2^gapBits. A longer
/// gap is bridged with filler entries of value 0 placed 2^gapBits positions on; positions after
/// the last entry are zeros up to `count`.
public struct RelativeIndexedSparse: Sendable, Equatable {
    /// Length of the dense vector.
    public let count: Int
    /// Bits per stored gap (1...16).
    public let gapBits: Int
    /// Stored gap of each entry, `gap − 1`, in `0..<2^gapBits`.
    public let storedGaps: [Int]
    /// Value of each entry; 0 for fillers.
    public let values: [Float]

    /// The largest gap one entry can express.
    public var maxGap: Int { 1 << gapBits }

    /// Encodes the nonzero entries of `dense` (a −0 entry counts as zero and decodes as +0).
    public init(dense: [Float], gapBits: Int) {
        precondition((1...16).contains(gapBits), "gapBits is 1...16")
        let maxGap = 1 << gapBits
        var storedGaps = [Int]()
        var values = [Float]()
        var previous = -1
        for (position, value) in dense.enumerated() where value != 0 {
            while position - previous > maxGap {
                previous += maxGap
                storedGaps.append(maxGap - 1)
                values.append(0)
            }
            storedGaps.append(position - previous - 1)
            values.append(value)
            previous = position
        }
        self.init(uncheckedCount: dense.count, gapBits: gapBits, storedGaps: storedGaps, values: values)
    }

    /// Rebuilds a sparse vector from stored parts, checking they describe positions inside `count`.
    /// - Throws: `CodecError.invalidField` naming the inconsistent part.
    public init(count: Int, gapBits: Int, storedGaps: [Int], values: [Float]) throws(CodecError) {
        guard (1...16).contains(gapBits) else {
            throw .invalidField(name: "gap bits", value: gapBits, allowed: "1...16")
        }
        guard count >= 0 else { throw .invalidField(name: "sparse length", value: count, allowed: "0 or more") }
        guard storedGaps.count == values.count else {
            throw .invalidField(name: "sparse value count", value: values.count, allowed: "\(storedGaps.count) (the gap count)")
        }
        var position = -1
        for gap in storedGaps {
            guard gap >= 0 && gap < 1 << gapBits else {
                throw .invalidField(name: "stored gap", value: gap, allowed: "0..<\(1 << gapBits)")
            }
            position += gap + 1
        }
        guard position < count else {
            throw .invalidField(name: "last sparse position", value: position, allowed: "0..<\(count) (the length)")
        }
        self.init(uncheckedCount: count, gapBits: gapBits, storedGaps: storedGaps, values: values)
    }

    private init(uncheckedCount: Int, gapBits: Int, storedGaps: [Int], values: [Float]) {
        self.count = uncheckedCount
        self.gapBits = gapBits
        self.storedGaps = storedGaps
        self.values = values
    }

    // MARK: - Decoding

    /// The dense vector.
    public func dense() -> [Float] {
        var dense = [Float](repeating: 0, count: count)
        var position = -1
        for (gap, value) in zip(storedGaps, values) {
            position += gap + 1
            dense[position] = value
        }
        return dense
    }

    /// The dense position of every entry, fillers included.
    public func positions() -> [Int] {
        var position = -1
        return storedGaps.map { gap in
            position += gap + 1
            return position
        }
    }

    /// How many entries hold 0: the fillers inserted to bridge long gaps.
    public var fillerCount: Int { values.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
}

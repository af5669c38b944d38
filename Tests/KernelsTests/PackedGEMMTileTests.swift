@testable import Kernels
import Testing

@Suite("PackedGEMMWeights row tiles", .timeLimit(.minutes(5)))
struct PackedGEMMTileTests {
    static func heights(rowCount: Int, tileRows: Int, even: Bool) -> [Int] {
        let tiles = (rowCount + tileRows - 1) / tileRows
        let ranges = (0..<tiles).map { PackedGEMMWeights.rows(ofTile: $0, of: tiles, rowCount: rowCount, tileRows: tileRows, even: even) }
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == rowCount)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        return ranges.map(\.count)
    }

    @Test("tiles whose cost follows their rows have even heights: 49 rows are not 4 x 12 + 1")
    func evenHeights() {
        #expect(Self.heights(rowCount: 49, tileRows: 12, even: true) == [9, 10, 10, 10, 10])
        #expect(Self.heights(rowCount: 196, tileRows: 12, even: true).allSatisfy { (11...12).contains($0) })
        #expect(Self.heights(rowCount: 9, tileRows: 12, even: true) == [9])
        #expect(Self.heights(rowCount: 24, tileRows: 12, even: true) == [12, 12])
    }

    @Test("the Swift kernel's tiles are full but the last, which runs as half a tile when it is short")
    func fullTilesAndARemainder() {
        #expect(Self.heights(rowCount: 9, tileRows: 6, even: false) == [6, 3])
        #expect(Self.heights(rowCount: 49, tileRows: 6, even: false) == [6, 6, 6, 6, 6, 6, 6, 6, 1])
    }
}

@testable import Kernels
import Testing

@Suite("WorkSplit", .timeLimit(.minutes(5)))
struct WorkSplitTests {
    /// (items, granularity, chunks): 3x3 conv pixels in 8-pixel tiles, depthwise output rows, a
    /// layer with a short last unit, fewer units than chunks, one chunk.
    static let cases: [(Int, Int, Int)] = [
        (3136, 8, 16), (3136, 12, 16), (196, 12, 16), (56, 1, 16), (14, 1, 16), (100, 8, 16), (7, 8, 4), (3136, 8, 1),
    ]

    @Test("chunks cover every item once, start on whole units and differ by at most one unit", arguments: cases)
    func evenChunks(_ testCase: (Int, Int, Int)) {
        let (items, granularity, chunks) = testCase
        let split = WorkSplit(items: items, granularity: granularity, chunks: chunks)
        let units = (items + granularity - 1) / granularity
        #expect(split.count == min(units, chunks))
        let ranges = (0..<split.count).map(split.range)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == items)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.allSatisfy { $0.lowerBound % granularity == 0 && !$0.isEmpty })
        let unitCounts = ranges.map { ($0.count + granularity - 1) / granularity }
        #expect(unitCounts.max()! - unitCounts.min()! <= 1, "\(testCase): \(unitCounts)")
    }

    @Test("two threads' equal shares of chunks hold equal work: 392 tiles are 196 and 196")
    func equalSharesOnTwoThreads() {
        let split = WorkSplit(items: 3136, threads: 2, granularity: 8, macsPerItem: 36_864)
        #expect(split.count == 16)
        let firstShare = (0..<8).map { split.range($0).count }.reduce(0, +)
        #expect(firstShare == 3136 / 2)
    }

    @Test("one thread or a tiny layer is one chunk")
    func singleChunk() {
        #expect(WorkSplit(items: 3136, threads: 1, granularity: 8, macsPerItem: 36_864).count == 1)
        #expect(WorkSplit(items: 100, threads: 2, granularity: 8, macsPerItem: 432).count == 1)
    }
}

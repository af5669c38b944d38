@testable import Kernels
import Testing

@Suite("GEMMWorkSplit", .timeLimit(.minutes(5)))
struct GEMMWorkSplitTests {
    /// (rows, tile rows, panels, threads, MACs): early layers (many pixels), late layers (9 or 36
    /// pixels, many panels), a fully connected layer (one row), tiny layers, one thread, on the 6-row
    /// Swift tile and the 12-row AVX512F tile.
    static let cases: [(Int, Int, Int, Int, Int)] = [
        (2304, 6, 6, 2, 3_538_944), (576, 6, 2, 2, 1_327_104), (9, 6, 10, 2, 1_382_400), (9, 6, 80, 2, 3_686_400),
        (1, 6, 63, 2, 1_280_000), (36, 6, 24, 2, 884_736), (36, 6, 4, 3, 884_736), (7, 6, 3, 2, 50_000),
        (2304, 6, 6, 1, 3_538_944), (9, 6, 10, 1, 1_382_400), (1, 6, 1, 2, 1_000_000),
        (196, 12, 32, 2, 51_380_224), (3136, 12, 8, 2, 51_380_224), (49, 12, 64, 2, 25_690_112),
        (49, 12, 1, 2, 700_000), (37, 12, 10, 2, 378_880),
    ]

    @Test("tasks cover every row and panel exactly once; row chunks start on whole tiles", arguments: cases)
    func coversEverything(_ testCase: (Int, Int, Int, Int, Int)) {
        let (rows, tileRows, panels, threads, macs) = testCase
        let split = GEMMWorkSplit(rows: rows, tileRows: tileRows, panels: panels, threads: threads, macs: macs)
        var hits = [Int](repeating: 0, count: rows * panels)
        for index in 0..<split.count {
            let task = split.task(index)
            #expect(task.rows.lowerBound % tileRows == 0, "task \(index) of \(testCase)")
            #expect(task.rows.upperBound == rows || task.rows.count % tileRows == 0,
                    "task \(index) of \(testCase) ends in a short tile")
            #expect(task.rows.count >= min(rows, tileRows), "task \(index) of \(testCase) is a lone short tile")
            #expect(!task.rows.isEmpty && !task.panels.isEmpty, "task \(index) of \(testCase) is empty")
            for row in task.rows { for panel in task.panels { hits[row * panels + panel] += 1 } }
        }
        #expect(hits == [Int](repeating: 1, count: rows * panels), "\(testCase)")
    }

    @Test("the 12-row tile's 196 rows split into 16 row chunks whose two shares differ by at most a tile")
    func lateLayerSharesAreEven() {
        let split = GEMMWorkSplit(rows: 196, tileRows: 12, panels: 32, threads: 2, macs: 51_380_224)
        #expect(split.count == 16)
        #expect((0..<16).allSatisfy { split.task($0).panels == 0..<32 })
        let shares = [0..<8, 8..<16].map { $0.map { split.task($0).rows.count }.reduce(0, +) }
        #expect(abs(shares[0] - shares[1]) <= 12, "\(shares)")
    }

    @Test("one thread or a tiny layer is one task")
    func singleTask() {
        #expect(GEMMWorkSplit(rows: 2304, tileRows: 6, panels: 6, threads: 1, macs: 3_538_944).count == 1)
        #expect(GEMMWorkSplit(rows: 36, tileRows: 6, panels: 4, threads: 2, macs: 90_000).count == 1)
    }

    @Test("few rows and many panels split along panels, so every thread gets work")
    func fewRowsSplitPanels() {
        let late = GEMMWorkSplit(rows: 9, tileRows: 6, panels: 10, threads: 2, macs: 1_382_400)
        #expect(late.count >= 2)
        #expect((0..<late.count).allSatisfy { late.task($0).rows == 0..<9 })
        let fullyConnected = GEMMWorkSplit(rows: 1, tileRows: 6, panels: 63, threads: 2, macs: 1_280_000)
        #expect(fullyConnected.count >= 2)
        let early = GEMMWorkSplit(rows: 2304, tileRows: 6, panels: 6, threads: 2, macs: 3_538_944)
        #expect((0..<early.count).allSatisfy { early.task($0).panels == 0..<6 })
    }
}

@testable import Kernels
import Testing

@Suite("GEMMWorkSplit", .timeLimit(.minutes(5)))
struct GEMMWorkSplitTests {
    /// (rows, panels, threads, MACs): early layers (many pixels), late layers (9 or 36 pixels, many
    /// panels), a fully connected layer (one row), tiny layers, one thread.
    static let cases: [(Int, Int, Int, Int)] = [
        (2304, 6, 2, 3_538_944), (576, 2, 2, 1_327_104), (9, 10, 2, 1_382_400), (9, 80, 2, 3_686_400),
        (1, 63, 2, 1_280_000), (36, 24, 2, 884_736), (36, 4, 3, 884_736), (7, 3, 2, 50_000),
        (2304, 6, 1, 3_538_944), (9, 10, 1, 1_382_400), (1, 1, 2, 1_000_000),
    ]

    @Test("tasks cover every row and panel exactly once; row chunks start on 6-row tiles", arguments: cases)
    func coversEverything(_ testCase: (Int, Int, Int, Int)) {
        let (rows, panels, threads, macs) = testCase
        let split = GEMMWorkSplit(rows: rows, panels: panels, threads: threads, macs: macs)
        var hits = [Int](repeating: 0, count: rows * panels)
        for index in 0..<split.count {
            let task = split.task(index)
            #expect(task.rows.lowerBound % GEMMMicroKernel.rows == 0, "task \(index) of \(testCase)")
            #expect(!task.rows.isEmpty && !task.panels.isEmpty, "task \(index) of \(testCase) is empty")
            for row in task.rows { for panel in task.panels { hits[row * panels + panel] += 1 } }
        }
        #expect(hits == [Int](repeating: 1, count: rows * panels), "\(testCase)")
    }

    @Test("one thread or a tiny layer is one task")
    func singleTask() {
        #expect(GEMMWorkSplit(rows: 2304, panels: 6, threads: 1, macs: 3_538_944).count == 1)
        #expect(GEMMWorkSplit(rows: 36, panels: 4, threads: 2, macs: 90_000).count == 1)
    }

    @Test("few rows and many panels split along panels, so every thread gets work")
    func fewRowsSplitPanels() {
        let late = GEMMWorkSplit(rows: 9, panels: 10, threads: 2, macs: 1_382_400)
        #expect(late.count >= 2)
        #expect((0..<late.count).allSatisfy { late.task($0).rows == 0..<9 })
        let fullyConnected = GEMMWorkSplit(rows: 1, panels: 63, threads: 2, macs: 1_280_000)
        #expect(fullyConnected.count >= 2)
        let early = GEMMWorkSplit(rows: 2304, panels: 6, threads: 2, macs: 3_538_944)
        #expect((0..<early.count).allSatisfy { early.task($0).panels == 0..<6 })
    }
}

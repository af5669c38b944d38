import Testing
@testable import Suites

@Suite struct BenchPlacementTests {
    @Test func sweepCoversEveryClusterAtEveryThreadCount() {
        let placements = BenchPlacement.sweep([("little", [0, 1, 2, 3]), ("big", [4, 5, 6, 7])])
        #expect(placements.count == 8)
        #expect(placements[0] == BenchPlacement(threads: 1, cpus: [0], cluster: "little"))
        #expect(placements[3] == BenchPlacement(threads: 4, cpus: [0, 1, 2, 3], cluster: "little"))
        #expect(placements[5] == BenchPlacement(threads: 2, cpus: [4, 5], cluster: "big"))
        #expect(placements[5].label == "big x2")
        #expect(BenchPlacement(threads: 1, cpus: nil, cluster: nil).label == "x1")
    }
}

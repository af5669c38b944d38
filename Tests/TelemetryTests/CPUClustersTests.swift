import Foundation
import Testing
@testable import Telemetry

@Suite struct CPUClustersTests {
    @Test func twoClusterTreeByCapacity() {
        let clusters = CPUClusters(root: Fixture.root("big-little"))
        #expect(clusters.source == "cpu_capacity")
        #expect(clusters.isHeterogeneous)
        #expect(clusters.clusters.map(\.name) == ["little", "big"])
        #expect(clusters.cluster(named: "little")?.cpus == [0, 1, 2, 3])
        #expect(clusters.cluster(named: "big")?.cpus == [4, 5, 6, 7])
        #expect(clusters.cluster(named: "big")?.capacity == 1024)
        #expect(clusters.cluster(named: "big")?.maxFrequencyHz == 2_400_000_000)
        #expect(clusters.cluster(named: "all")?.cpus == Array(0...7))
        #expect(clusters.maxFrequencyHz[2] == 1_800_000_000)
        #expect(clusters.clusterName(of: [5, 6]) == "big")
        #expect(clusters.clusterName(of: [3, 4]) == "mixed")
    }

    @Test func maximumFrequencyWhenTheKernelGivesNoCapacity() throws {
        let copy = try Fixture.copy("big-little")
        for cpu in 0..<8 {
            try FileManager.default.removeItem(atPath: copy + "/sys/devices/system/cpu/cpu\(cpu)/cpu_capacity")
        }
        let clusters = CPUClusters(root: copy)
        #expect(clusters.source == "cpuinfo_max_freq")
        #expect(clusters.cluster(named: "little")?.cpus == [0, 1, 2, 3])
        #expect(clusters.cluster(named: "big")?.cpus == [4, 5, 6, 7])
        #expect(clusters.cluster(named: "big")?.capacity == nil)
    }

    @Test func identicalCoresAreOneClusterWithoutBigOrLittle() {
        let clusters = CPUClusters(root: Fixture.root("raspberry-pi"))
        #expect(!clusters.isHeterogeneous)
        #expect(clusters.clusters.map(\.name) == ["all"])
        #expect(clusters.clusters[0].cpus == [0, 1, 2, 3])
        #expect(clusters.cluster(named: "big") == nil)
        #expect(clusters.cluster(named: "little") == nil)
        #expect(clusters.clusterName(of: [1]) == "all")
    }

    @Test func threeKindsOfCoreHaveAMiddleCluster() {
        let clusters = CPUClusters(cpus: [0, 1, 2, 3], capacities: [0: 300, 1: 300, 2: 800, 3: 1024], maxFrequencyHz: [:])
        #expect(clusters.clusters.map(\.name) == ["little", "mid", "big"])
        #expect(clusters.cluster(named: "mid")?.cpus == [2])
    }

    @Test func noCPUDirectoriesIsNoCluster() {
        let clusters = CPUClusters(root: Fixture.root("empty"))
        #expect(clusters.clusters.isEmpty)
        #expect(clusters.cluster(named: "big") == nil)
        #expect(clusters.clusterName(of: []) == nil)
    }
}

import ProcStats
import Testing
@testable import Telemetry

@Suite struct ResidentCodeTests {
    /// Resident file-backed memory of this process, in KiB, from `/proc/self/status`.
    private func residentFileKiB() -> Int? {
        TextFile.text("/proc/self/status")?.split(separator: "\n")
            .first { $0.hasPrefix("RssFile:") }
            .flatMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
    }

    @Test func dropsCleanCodePagesAndKeepsRunning() throws {
        let before = try #require(residentFileKiB())
        let advised = ResidentCode.dropStartupPages()
        let after = try #require(residentFileKiB())
        #expect(advised > 0)
        #expect(after < before, "RssFile \(before) KiB → \(after) KiB")
        // Code dropped from the page tables faults back in: sampling still works.
        #expect(Sampler(root: Fixture.root("x86")).read().temperatures.count == 4)
    }
}

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

        // Dropped again from the remembered mappings, without smaps: the same mappings, and the
        // pages the sampler just faulted back in leave again.
        let touched = try #require(residentFileKiB())
        #expect(ResidentCode.dropCodePagesAgain() == advised)
        let again = try #require(residentFileKiB())
        #expect(again < touched, "RssFile \(touched) KiB → \(again) KiB")
        #expect(Sampler(root: Fixture.root("x86")).read().temperatures.count == 4)
    }
}

@Suite struct ResidentCodeMappingTests {
    private let smaps = """
        55d0a0000000-55d0a0100000 r--p 00000000 fd:01 42                         /usr/bin/edgeprobe
        Size:               1024 kB
        Anonymous:             0 kB
        VmFlags: rd mr mw me
        55d0a0100000-55d0a0200000 r-xp 00100000 fd:01 42                         /usr/bin/edgeprobe
        Anonymous:             0 kB
        55d0a0200000-55d0a0210000 r--p 00200000 fd:01 42                         /usr/bin/edgeprobe
        Anonymous:            64 kB
        55d0a0210000-55d0a0220000 rw-p 00210000 fd:01 42                         /usr/bin/edgeprobe
        Anonymous:             0 kB
        7f0000000000-7f0000001000 r-xp 00000000 00:00 0                          [vdso]
        Anonymous:             0 kB
        7f0000002000-7f0000003000 rw-p 00000000 00:00 0
        Anonymous:             4 kB
        """

    @Test func onlyCleanReadOnlyFileMappingsAreDropped() {
        let mappings = ResidentCode.Mapping.parse(smaps)
        #expect(mappings.count == 6)
        #expect(mappings.map(\.anonymousKiB) == [0, 0, 64, 0, 0, 4])
        #expect(mappings.map(\.isCleanReadOnlyFile) == [true, true, false, false, false, false])
        #expect(mappings[1].start == 0x55d0_a010_0000 && mappings[1].end == 0x55d0_a020_0000)
    }
}

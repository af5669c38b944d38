import Glibc
import Testing
@testable import ProcStats

/// libproc2 against the live `/proc`, cross-checked with the pure procfs parser.
@Suite struct Proc2BackendTests {
    @Test func memoryTotalMatchesProcfsParser() throws {
        let live = try Proc2Backend().memory()
        let text = try ProcfsTextBackend(root: "/").memory()
        #expect(live.totalBytes == text.totalBytes)
        #expect(live.swapTotalBytes == text.swapTotalBytes)
        #expect(live.totalBytes > 0)
        #expect(live.availableBytes <= live.totalBytes)
    }

    @Test func cpuListMatchesProcfsParserAndOnlineCount() throws {
        let live = try Proc2Backend().cpuTicks()
        let text = try ProcfsTextBackend(root: "/").cpuTicks()
        #expect(live.cores.map(\.id) == text.cores.map(\.id))
        #expect(live.cores.count == Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    @Test func countersAgreeWithProcfsAndNeverGoBackwards() throws {
        let backend = try Proc2Backend()
        let before = try ProcfsTextBackend(root: "/").cpuTicks()
        let first = try backend.cpuTicks()
        let after = try ProcfsTextBackend(root: "/").cpuTicks()
        let second = try backend.cpuTicks()
        // libproc2's reading lies between two procfs readings taken around it.
        #expect(first.total.total >= before.total.total)
        #expect(first.total.total <= after.total.total)
        #expect(second.total.total >= first.total.total)
        #expect(first.total.user >= before.total.user && first.total.user <= after.total.user)
    }

    @Test func factoryPicksLibproc2ForTheLiveRootOnly() {
        #expect(makeSystemStatsBackend(root: "/").name == "libproc2")
        #expect(makeSystemStatsBackend(root: "/tmp/tree").name == "procfs")
    }
}

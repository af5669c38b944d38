import Testing
@testable import ProcStats

@Suite struct ProcfsParserTests {
    @Test func parsesSummaryAndPerCPULines() throws {
        let snapshot = try ProcfsParser.parseStat("""
            cpu  10 1 20 300 4 5 6 7 8 9
            cpu0 5 1 10 150 2 3 3 4 0 0
            cpu2 5 0 10 150 2 2 3 3 8 9
            intr 123 0
            ctxt 456
            """)
        #expect(snapshot.total == CPUTicks(user: 10, nice: 1, system: 20, idle: 300, iowait: 4, irq: 5, softirq: 6, steal: 7))
        #expect(snapshot.total.total == 353)
        #expect(snapshot.cores.map(\.id) == [0, 2])
        #expect(snapshot.cores[1].ticks.steal == 3)
    }

    @Test func refusesStatWithoutSummaryLine() {
        #expect(throws: SystemStatsError.self) { try ProcfsParser.parseStat("intr 1\n") }
        #expect(throws: SystemStatsError.self) { try ProcfsParser.parseStat("cpu 1 2 3\n") }
    }

    @Test func parsesMeminfoInBytes() throws {
        let figures = try ProcfsParser.parseMeminfo("""
            MemTotal:        1000 kB
            MemFree:          100 kB
            MemAvailable:     600 kB
            SwapTotal:        200 kB
            SwapFree:          50 kB
            """)
        #expect(figures.totalBytes == 1_024_000)
        #expect(figures.usedBytes == 400 * 1024)
        #expect(figures.swapUsedBytes == 150 * 1024)
    }

    @Test func meminfoErrorNamesTheMissingKey() {
        #expect(throws: SystemStatsError.malformed(source: "/proc/meminfo", reason: "no 'MemAvailable' line")) {
            try ProcfsParser.parseMeminfo("MemTotal: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n")
        }
    }

    @Test func missingRootIsUnreadable() {
        let backend = ProcfsTextBackend(root: "/nonexistent-edgeprobe-root")
        #expect(throws: SystemStatsError.self) { try backend.cpuTicks() }
        #expect(throws: SystemStatsError.self) { try backend.memory() }
    }
}

import Glibc
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

@Suite struct TextFileTests {
    private func temporaryFile(_ contents: String) throws -> String {
        var template = Array("/tmp/edgeprobe-textfile-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        try #require(descriptor >= 0)
        _ = contents.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        close(descriptor)
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    @Test func firstLineStopsAtTheNewline() throws {
        let path = try temporaryFile("Package id 0\nsecond line\n")
        defer { unlink(path) }
        #expect(TextFile.firstLine(path) == "Package id 0")
        #expect(TextFile.text(path) == "Package id 0\nsecond line\n")
    }

    @Test func fileWithoutNewlineOrEmpty() throws {
        let unterminated = try temporaryFile("48686")
        let empty = try temporaryFile("")
        defer { unlink(unterminated); unlink(empty) }
        #expect(TextFile.firstLine(unterminated) == "48686")
        #expect(TextFile.firstLine(empty) == "")
        #expect(TextFile.bytes(empty) == [])
    }

    @Test func missingFileIsNil() {
        #expect(TextFile.firstLine("/nonexistent-edgeprobe/file") == nil)
        #expect(TextFile.bytes("/nonexistent-edgeprobe/file") == nil)
    }

    @Test func largerThanOneChunkIsReadWhole() throws {
        let long = String(repeating: "cpu0 1 2 3 4 5 6 7 8 0 0\n", count: 400)
        let path = try temporaryFile(long)
        defer { unlink(path) }
        #expect(TextFile.bytes(path)?.count == long.utf8.count)
    }

    @Test func rootJoining() {
        #expect(TextFile.path(root: "/", "/proc/stat") == "/proc/stat")
        #expect(TextFile.path(root: "/tmp/tree/", "/proc/stat") == "/tmp/tree/proc/stat")
        #expect(TextFile.path(root: "/tmp/tree", "/proc/stat") == "/tmp/tree/proc/stat")
    }
}

import Foundation
import TestSupport
import Testing
@testable import Reports

@Suite(.timeLimit(.minutes(3))) struct RotatingFileSinkTests {
    // MARK: - Helpers

    /// A line of exactly `length` bytes (newline included) carrying its number.
    private static func line(_ number: Int, length: Int = 20) -> [UInt8] {
        let prefix = "line-\(number)-"
        let body = prefix + String(repeating: "x", count: max(0, length - 1 - prefix.utf8.count))
        return Array((body + "\n").utf8)
    }

    private static func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The numbers of the lines in a file, checking every line is whole.
    private static func lineNumbers(in path: String) -> [Int] {
        guard let text = contents(path) else { return [] }
        #expect(text.isEmpty || text.hasSuffix("\n"), "\(path) ends inside a line")
        return text.split(separator: "\n").map { line in
            #expect(line.hasPrefix("line-") && line.count == 19, "split or foreign line in \(path): \(line)")
            return Int(line.split(separator: "-")[1])!
        }
    }

    // MARK: - Rotation

    @Test func rotatesBeforeTheLineThatWouldNotFitAndKeepsRetainedFiles() throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 100, retainedFiles: 2)

        for number in 0..<23 { try sink.write(line: Self.line(number)) }

        // 5 lines of 20 bytes fill a 100-byte file exactly; the sixth starts a new one.
        #expect(Self.lineNumbers(in: path) == [20, 21, 22])
        #expect(Self.lineNumbers(in: path + ".1") == [15, 16, 17, 18, 19])
        #expect(Self.lineNumbers(in: path + ".2") == [10, 11, 12, 13, 14])
        #expect(!FileManager.default.fileExists(atPath: path + ".3"), "only 2 rotated files are retained")
        for file in [path, path + ".1", path + ".2"] {
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as! Int
            #expect(size <= 100)
        }
    }

    @Test func withoutRetentionTheFullFileIsDropped() throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 40, retainedFiles: 0)
        for number in 0..<5 { try sink.write(line: Self.line(number)) }
        #expect(Self.lineNumbers(in: path) == [4])
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func aLineLongerThanTheLimitGetsAFileOfItsOwnWhole() throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 30, retainedFiles: 3)
        let long = Array((String(repeating: "y", count: 79) + "\n").utf8)
        try sink.write(line: Self.line(0))
        try sink.write(line: long)
        try sink.write(line: Self.line(1))
        #expect(Self.contents(path + ".2") == String(decoding: Self.line(0), as: UTF8.self))
        #expect(Self.contents(path + ".1") == String(decoding: long, as: UTF8.self))
        #expect(Self.lineNumbers(in: path) == [1])
    }

    @Test func continuesAnExistingFileAndCountsItsSize() throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/agent.jsonl"
        try RotatingFileSink(path: path, maxBytes: 60, retainedFiles: 1).write(line: Self.line(0))
        let reopened = RotatingFileSink(path: path, maxBytes: 60, retainedFiles: 1)
        for number in 1..<4 { try reopened.write(line: Self.line(number)) }
        #expect(Self.lineNumbers(in: path + ".1") == [0, 1, 2])
        #expect(Self.lineNumbers(in: path) == [3])
    }

    @Test func concurrentWritersNeverInterleaveOrLoseLines() async throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 1000, retainedFiles: 10)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<100 { try! sink.write(line: Self.line(writer * 100 + index)) }
                }
            }
        }
        let numbers = ([path] + sink.rotatedPaths).flatMap(Self.lineNumbers(in:))
        #expect(numbers.sorted() == Array(0..<400))
    }

    // MARK: - Failures

    @Test func aFullDeviceThrowsAndLeavesNoPartialLine() {
        let sink = RotatingFileSink(path: "/dev/full", maxBytes: 1 << 20, retainedFiles: 0)
        #expect(throws: SinkError.self) { try sink.write(line: Self.line(0)) }
        #expect(throws: SinkError.self) { try sink.write(line: Self.line(1)) }
    }

    @Test func anUnopenableFileThrowsThenResumesOnceItCanBeOpened() throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        let path = directory + "/not-yet/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 100, retainedFiles: 1)
        #expect(throws: SinkError.self) { try sink.write(line: Self.line(0)) }
        try FileManager.default.createDirectory(atPath: directory + "/not-yet", withIntermediateDirectories: false)
        try sink.write(line: Self.line(1))
        #expect(Self.lineNumbers(in: path) == [1])
    }

    /// A real full disk: a 64 KiB tmpfs. Mounting needs root, which CI has; elsewhere it is
    /// skipped, but never when `CI=true`.
    @Test(.enabled(if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true",
                   "mounting a tmpfs needs root"))
    func aFullTmpfsKeepsWholeLinesAndResumesWhenSpaceIsFreed() async throws {
        let scratch = TemporaryDirectory(prefix: "rotation")
        let directory = scratch.path
        try await Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", directory])
        defer { _ = umount(directory) } // umount(2): a `defer` cannot wait for a process
        let path = directory + "/agent.jsonl"
        let sink = RotatingFileSink(path: path, maxBytes: 48_000, retainedFiles: 3)

        var written: [Int] = []
        var failures = 0
        for number in 0..<6000 {
            do {
                try sink.write(line: Self.line(number, length: 19 + 1))
                written.append(number)
            } catch {
                failures += 1
            }
        }
        #expect(failures > 0, "64 KiB cannot hold 120 kB of lines")
        let kept = ([path] + sink.rotatedPaths).reversed().flatMap(Self.lineNumbers(in:))
        #expect(Set(kept).isSubset(of: Set(written)), "a line reported as failed is in a file")

        // Free the space: writing resumes.
        for rotated in sink.rotatedPaths { unlink(rotated) }
        try sink.write(line: Self.line(9999))
        #expect(Self.lineNumbers(in: path).last == 9999)
    }

    private static func run(_ executable: String, _ arguments: [String]) async throws {
        let result = try await TestProcess.run(executable, arguments)
        guard result.status == 0 else { throw TestSupportError("\(executable) \(arguments) exited \(result.status): \(result.stderr)") }
    }
}

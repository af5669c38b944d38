import Foundation
import Testing

@Suite(.timeLimit(.minutes(2))) struct ReportCommandTests {
    private let fixtures = EdgeprobeBinary.repositoryRoot.appendingPathComponent("Tests/ResultsReportTests/Fixtures")
    private var bench: String { fixtures.appendingPathComponent("bench.jsonl").path }

    /// A new empty directory for one test's files.
    private func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private func contents(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func writesOnePageFromEveryFixture() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        let output = directory.appendingPathComponent("report.html")
        let result = try EdgeprobeBinary.run(["report"] + files.map { fixtures.appendingPathComponent($0).path } + ["--output", output.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(contents(directory) == ["report.html"], "no temporary file left beside it")
        let html = try String(contentsOf: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for id in ["bench", "comparison", "soak", "sample", "sensors", "compression", "latency", "lut"] {
            #expect(html.contains("<section id=\"\(id)\">"), "section \(id)")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: output.path)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o044 != 0, "readable by others, like any file the user writes")
    }

    @Test func readsStandardInputAndWritesMarkdown() throws {
        let result = try EdgeprobeBinary.runProgram("/bin/sh", ["-c", "exec \"$0\" report - --format markdown < \"$1\"", EdgeprobeBinary.path, bench])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# edgeprobe report\n\nFrom `-`."))
        #expect(result.stdout.contains("| layer | run | op | MACs |") && !result.stdout.contains("<svg"))
    }

    @Test func aTruncatedLastLineIsAWarningNamingTheLine() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("cut.jsonl")
        let text = try String(contentsOf: URL(fileURLWithPath: bench), encoding: .utf8)
        try String(text.dropLast(40)).write(to: input, atomically: true, encoding: .utf8)
        let result = try EdgeprobeBinary.run(["report", input.path, "--output", directory.appendingPathComponent("r.html").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(input.path):14: truncated last line"), "\(result.stderr)")
    }

    @Test func aMissingFileIsOneLineAndNothingIsWritten() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("nope.jsonl").path
        let result = try EdgeprobeBinary.run(["report", bench, missing, "--output", directory.appendingPathComponent("r.html").path])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: \(missing): cannot read: No such file or directory\n")
        #expect(contents(directory).isEmpty)
    }

    @Test func aFileThatIsNotJSONLinesLeavesTheOldPageAlone() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = directory.appendingPathComponent("agent.yaml"), output = directory.appendingPathComponent("r.html")
        try "sampling:\n  interval: 1s\n".write(to: yaml, atomically: true, encoding: .utf8)
        try "old page".write(to: output, atomically: true, encoding: .utf8)
        let result = try EdgeprobeBinary.run(["report", yaml.path, "--output", output.path])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: \(yaml.path):1: not edgeprobe JSON lines: no line of the file is a record\n")
        #expect(try String(contentsOf: output, encoding: .utf8) == "old page")
        #expect(contents(directory) == ["agent.yaml", "r.html"])
    }

    @Test func anEmptyFileIsAnError() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.jsonl")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        let result = try EdgeprobeBinary.run(["report", empty.path])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr == "edgeprobe: \(empty.path): empty: no records to report\n")
    }

    @Test func anUnwritableOutputIsOneLineAndLeavesNothingBehind() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let noDirectory = directory.appendingPathComponent("missing/r.html").path
        let result = try EdgeprobeBinary.run(["report", bench, "--output", noDirectory])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: --output \(noDirectory): cannot write: No such file or directory\n")
        // A directory in the way: the page is written to a temporary file that cannot be renamed over it.
        let inTheWay = directory.appendingPathComponent("taken")
        try FileManager.default.createDirectory(at: inTheWay, withIntermediateDirectories: false)
        let blocked = try EdgeprobeBinary.run(["report", bench, "--output", inTheWay.path])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.hasPrefix("edgeprobe: --output \(inTheWay.path): cannot write: ") && blocked.stderr.split(separator: "\n").count == 1)
        #expect(contents(directory) == ["taken"], "no temporary file left behind")
    }

    @Test func noFileIsAUsageError() throws {
        let result = try EdgeprobeBinary.run(["report"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}

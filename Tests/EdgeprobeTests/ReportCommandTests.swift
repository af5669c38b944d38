import Foundation
import TestSupport
import Testing

@Suite(.timeLimit(.minutes(2))) struct ReportCommandTests {
    private let fixtures = Repository.path("Tests/ResultsReportTests/Fixtures")
    private var bench: String { fixtures + "/bench.jsonl" }

    private func contents(_ directory: TemporaryDirectory) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test func writesOnePageFromEveryFixture() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let files = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".jsonl") }.sorted()
        let output = directory.file("report.html")
        let result = try await EdgeprobeBinary.run(["report"] + files.map { fixtures + "/" + $0 } + ["--output", output])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(contents(directory) == ["report.html"], "no temporary file left beside it")
        let html = try String(contentsOfFile: output, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for id in ["bench", "comparison", "soak", "sample", "sensors", "compression", "latency", "lut"] {
            #expect(html.contains("<section id=\"\(id)\">"), "section \(id)")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: output)
        #expect((attributes[.posixPermissions] as? Int ?? 0) & 0o044 != 0, "readable by others, like any file the user writes")
    }

    @Test func readsStandardInputAndWritesMarkdown() async throws {
        let result = try await TestProcess.run("/bin/sh", ["-c", "exec \"$0\" report - --format markdown < \"$1\"", EdgeprobeBinary.path, bench])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# edgeprobe report\n\nFrom `-`."))
        #expect(result.stdout.contains("| layer | run | op | MACs |") && !result.stdout.contains("<svg"))
    }

    @Test func aTruncatedLastLineIsAWarningNamingTheLine() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let text = try String(contentsOfFile: bench, encoding: .utf8)
        let input = directory.write(String(text.dropLast(40)), to: "cut.jsonl")
        let result = try await EdgeprobeBinary.run(["report", input, "--output", directory.file("r.html")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(input):14: truncated last line"), "\(result.stderr)")
    }

    @Test func aMissingFileIsOneLineAndNothingIsWritten() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let missing = directory.file("nope.jsonl")
        let result = try await EdgeprobeBinary.run(["report", bench, missing, "--output", directory.file("r.html")])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: \(missing): cannot read: No such file or directory\n")
        #expect(contents(directory).isEmpty)
    }

    @Test func aFileThatIsNotJSONLinesLeavesTheOldPageAlone() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let yaml = directory.write("sampling:\n  interval: 1s\n", to: "agent.yaml")
        let output = directory.write("old page", to: "r.html")
        let result = try await EdgeprobeBinary.run(["report", yaml, "--output", output])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: \(yaml):1: not edgeprobe JSON lines: no line of the file is a record\n")
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "old page")
        #expect(contents(directory) == ["agent.yaml", "r.html"])
    }

    @Test func anEmptyFileIsAnError() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let empty = directory.write("", to: "empty.jsonl")
        let result = try await EdgeprobeBinary.run(["report", empty])
        #expect(result.status == 1 && result.stdout.isEmpty)
        #expect(result.stderr == "edgeprobe: \(empty): empty: no records to report\n")
    }

    @Test func anUnwritableOutputIsOneLineAndLeavesNothingBehind() async throws {
        let directory = TemporaryDirectory(prefix: "report")
        let noDirectory = directory.file("missing/r.html")
        let result = try await EdgeprobeBinary.run(["report", bench, "--output", noDirectory])
        #expect(result.status == 1)
        #expect(result.stderr == "edgeprobe: --output \(noDirectory): cannot write: No such file or directory\n")
        // A directory in the way: the page is written to a temporary file that cannot be renamed over it.
        let inTheWay = directory.file("taken")
        try FileManager.default.createDirectory(atPath: inTheWay, withIntermediateDirectories: false)
        let blocked = try await EdgeprobeBinary.run(["report", bench, "--output", inTheWay])
        #expect(blocked.status == 1)
        #expect(blocked.stderr.hasPrefix("edgeprobe: --output \(inTheWay): cannot write: ") && blocked.stderrLines.count == 1)
        #expect(contents(directory) == ["taken"], "no temporary file left behind")
    }

    @Test func noFileIsAUsageError() async throws {
        let result = try await EdgeprobeBinary.run(["report"])
        #expect(result.status == 2)
        #expect(result.stderrLines.count == 1, "\(result.stderr)")
    }
}

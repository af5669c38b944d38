import Foundation
import TestSupport
@testable import ResultsReport

/// The JSON-lines fixtures: real output of this machine's debug build (bench, compress, compress --model lenet5,
/// latency, lut, sample, sensors, agent), and hand-written records for what it did not write
/// (`soak-fixture.jsonl` from the agreed soak fields, `agent-events-fixture.jsonl`).
enum ReportFixtures {
    /// Every fixture file, sorted by name.
    static var files: [URL] {
        let directory = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The fixture named `name`.
    static func file(_ name: String) -> URL { files.first { $0.lastPathComponent == name }! }

    /// All fixtures read and grouped.
    static func collection(_ urls: [URL] = files) throws -> ResultsCollection {
        var records: [ResultRecord] = [], warnings: [ReportWarning] = []
        for url in urls {
            let outcome = try ResultsReader.read(text: try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
            records += outcome.records
            warnings += outcome.warnings
        }
        return ResultsCollection(records: records, warnings: warnings)
    }

    /// Runs one of the Python helpers beside these tests (`Browser/`) to its end.
    static func python(_ script: String, _ arguments: [String]) throws -> ProcessResult {
        try TestProcess.run("/usr/bin/env", ["python3", Repository.path("Tests/ResultsReportTests/Browser/\(script)")] + arguments)
    }
}

import Foundation
@testable import ResultsReport

/// The JSON-lines fixtures: real output of this machine's debug build (bench, compress,
/// latency, lut, sample, sensors, agent), and hand-written records for what it did not write
/// (`soak-fixture.jsonl` from the agreed soak fields, `agent-events-fixture.jsonl`).
enum ReportFixtures {
    /// The repository's root (for `Schemas/` and the Python helpers).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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

    /// Writes `text` to a new temporary file and returns it; the caller removes it.
    static func temporary(_ text: String, suffix: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-report-\(UUID().uuidString)\(suffix)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}

/// Runs a program to completion (output through files, no pipe deadlock).
enum ProgramRun {
    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String]) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-report-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out"), err = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Runs one of the Python helpers beside these tests (`Browser/`).
    static func python(_ script: String, _ arguments: [String]) throws -> Result {
        let path = ReportFixtures.repositoryRoot.appendingPathComponent("Tests/ResultsReportTests/Browser/\(script)").path
        return try run(["python3", path] + arguments)
    }
}

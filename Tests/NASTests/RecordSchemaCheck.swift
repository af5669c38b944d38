import Foundation
import Reports

/// Validates JSON lines against the repository's JSON Schemas with Python's `jsonschema`
/// (draft 2020-12, `$ref`s between schema files resolved from `Schemas/`).
enum RecordSchemaCheck {
    /// The repository's Schemas folder.
    static let schemas = RepositoryProfiles.path.replacingOccurrences(of: "/Profiles", with: "/Schemas")

    private static let script = """
        import json, pathlib, sys
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        folder = pathlib.Path(sys.argv[1])
        resources = []
        for path in folder.glob("*.schema.json"):
            schema = json.loads(path.read_text())
            resources.append((path.name, Resource.from_contents(schema)))
        registry = Registry().with_resources(resources)
        failures = 0
        for number, line in enumerate(sys.stdin, 1):
            record = json.loads(line)
            schema = json.loads((folder / (record["type"] + ".schema.json")).read_text())
            for error in Draft202012Validator(schema, registry=registry).iter_errors(record):
                failures += 1
                print(f"line {number}: {list(error.absolute_path)}: {error.message}")
        sys.exit(1 if failures else 0)
        """

    /// Problems found in `lines` (empty when every line is valid), or the failure to run the check.
    static func problems(in lines: [[UInt8]]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemas]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(lines.joined()))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "" : (text.isEmpty ? "validator exited \(process.terminationStatus)" : text)
    }

    /// The JSON line `record` is written as.
    static func line<R: Record>(_ record: R) throws -> [UInt8] {
        try RecordWriter.encode(
            record, context: RunContext(host: "test", runId: "run"), sequence: 0, timestamp: "2026-01-01T00:00:00.000Z")
    }
}

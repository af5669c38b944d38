import Foundation

/// Validates JSON lines against the schemas in `Schemas/` (draft 2020-12, with Python's
/// `jsonschema`, which `make test` installs): each line against `Schemas/<type>.schema.json`.
enum RecordSchemas {
    private static let schemaDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Schemas"

    private static let script = #"""
        import json, pathlib, sys
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource
        directory = pathlib.Path(sys.argv[1])
        resources = []
        for path in sorted(directory.glob("*.schema.json")):
            contents = json.loads(path.read_text())
            resources.append((contents["$id"], Resource.from_contents(contents)))
        registry = Registry().with_resources(resources)
        problems = []
        checked = set()
        for number, line in enumerate(open(sys.argv[2]), start=1):
            record = json.loads(line)
            kind = record.get("type")
            path = directory / f"{kind}.schema.json"
            if not path.exists():
                if kind.startswith("agent_"):
                    problems.append(f"line {number}: no schema for {kind}")
                continue
            schema = json.loads(path.read_text())
            Draft202012Validator.check_schema(schema)
            for error in Draft202012Validator(schema, registry=registry).iter_errors(record):
                problems.append(f"line {number} ({kind}): {'/'.join(map(str, error.absolute_path)) or '(record)'}: {error.message}")
            checked.add(kind)
        print("\n".join(problems))
        print("checked: " + ",".join(sorted(checked)), file=sys.stderr)
        sys.exit(1 if problems else 0)
        """#

    /// The types validated and the problems found (empty when every line is valid).
    static func validate(_ text: String) throws -> (checked: Set<String>, problems: String) {
        let file = "/tmp/edgeprobe-schema-\(UUID().uuidString).jsonl"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schemaDirectory, file]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let diagnostics = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let checkedLine = diagnostics.split(separator: "\n").last { $0.hasPrefix("checked: ") } ?? ""
        let checked = Set(checkedLine.dropFirst("checked: ".count).split(separator: ",").map(String.init))
        let problems = process.terminationStatus == 0 ? "" : report + diagnostics
        return (checked, problems.isEmpty && process.terminationStatus != 0 ? "validator failed" : problems)
    }
}

import Foundation

/// Validates JSON lines against a schema in `Schemas/` with `Schemas/validate.py` (Python's
/// `jsonschema`, installed by `make test`).
enum SchemaValidator {
    /// What the validator said.
    struct Outcome {
        /// Whether every line was valid.
        var valid: Bool
        /// The validator's report: one line per problem.
        var report: String
    }

    /// Validates `text` (JSON lines) against `Schemas/<schema>`.
    static func validate(_ text: String, schema: String) throws -> Outcome {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("edgeprobe-\(UUID().uuidString).jsonl")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let schemas = EdgeprobeBinary.repositoryRoot.appendingPathComponent("Schemas")
        let result = try EdgeprobeBinary.runProgram("/usr/bin/env", [
            "python3", schemas.appendingPathComponent("validate.py").path,
            schemas.appendingPathComponent(schema).path, file.path,
        ])
        return Outcome(valid: result.status == 0, report: result.stdout + result.stderr)
    }
}

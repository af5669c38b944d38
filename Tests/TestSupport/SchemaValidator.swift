import Foundation

/// Validates JSON lines against the repository's JSON Schemas (`Schemas/`, draft 2020-12) with
/// `Schemas/validate.py` (Python's `jsonschema`, which `make test` installs): the one validator the
/// tests share, against one named schema or each line against the schema of its `type`.
public enum SchemaValidator {
    /// What the validator said.
    public struct Report: Sendable {
        /// Whether every line was valid.
        public let valid: Bool
        /// One line per problem; empty when valid.
        public let problems: String
        /// The record types checked (each line by its type only).
        public let checkedTypes: Set<String>
    }

    /// Validates every line of `text` against `Schemas/<schema>` (`"sample.schema.json"`).
    public static func validate(_ text: String, schema: String) async throws -> Report {
        try await run(["Schemas/" + schema].map(Repository.path), text)
    }

    /// Validates each line of `text` against the schema of its `type`; a type without a schema is
    /// a problem.
    public static func validateByType(_ text: String) async throws -> Report {
        try await run(["--by-type", Repository.path("Schemas")], text)
    }

    private static func run(_ arguments: [String], _ text: String) async throws -> Report {
        let lines = TemporaryFile(text, suffix: ".jsonl")
        let result = try await TestProcess.run(
            "/usr/bin/env", ["python3", Repository.path("Schemas/validate.py")] + arguments + [lines.path])
        let checkedLine = result.stderrLines.last { $0.hasPrefix("checked types: ") } ?? ""
        let checked = Set(checkedLine.dropFirst("checked types: ".count).split(separator: ",").map(String.init))
        let diagnostics = result.stderrLines.filter { !$0.hasPrefix("checked types: ") }.joined(separator: "\n")
        let problems = result.status == 0 ? "" : [result.stdout, diagnostics].joined(separator: "\n")
        return Report(valid: result.status == 0, problems: problems, checkedTypes: checked)
    }
}

import Foundation
import TestSupport
import Testing

/// The fixtures have the shape edgeprobe writes: every record whose type has a schema in
/// `Schemas/` validates against it.
@Suite(.timeLimit(.minutes(2))) struct FixtureSchemaTests {
    @Test(arguments: ReportFixtures.files.map(\.lastPathComponent))
    func fixtureRecordsValidate(_ name: String) async throws {
        let lines = try String(contentsOf: ReportFixtures.file(name), encoding: .utf8).split(separator: "\n").map(String.init)
        let withSchema = lines.filter { line in
            let type = JSONLines.object(line)?["type"] as? String ?? "?"
            return FileManager.default.fileExists(atPath: Repository.path("Schemas/\(type).schema.json"))
        }
        #expect(withSchema.count == lines.count, "every record of \(name) has a schema")
        guard !withSchema.isEmpty else { return }
        let report = try await SchemaValidator.validateByType(withSchema.joined(separator: "\n") + "\n")
        #expect(report.valid, "\(name): \(report.problems)")
    }
}

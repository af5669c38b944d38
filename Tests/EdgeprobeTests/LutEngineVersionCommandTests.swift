import Foundation
import TestSupport
import Testing

/// A lookup table names its engine's version, and `lut --check` of a table measured with another
/// version of the engine (an upgrade since) runs all the same, with a warning line on standard
/// error and in the `lut_check` record.
@Suite(.timeLimit(.minutes(3))) struct LutEngineVersionCommandTests {
    private static let quick = ["--min-time", "1ms", "--warmup", "1", "--min-iterations", "3", "--threads", "1"]

    @Test func aTableOfAnotherEngineVersionIsCheckedWithAWarning() async throws {
        let directory = TemporaryDirectory(prefix: "lut-version")
        let table = directory.file("tiny.lut.yaml")
        let built = try await EdgeprobeBinary.run(["lut", "--space", "tiny", "--table", table, "--occurrences", "1"] + Self.quick)
        #expect(built.status == 0, "\(built.stderr)")
        let buildRecord = try #require(built.stdoutLines.first { $0.contains(#""type":"lut""#) })
        let engine = try #require(JSONLines.object(buildRecord)?["engine_description"] as? [String: Any])
        let version = try #require(engine["version"] as? String)
        // The table holds the version its record names; pretend an older build measured it.
        let yaml = try String(contentsOfFile: table, encoding: .utf8)
        let line = try #require(yaml.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("engine_version:") })
        #expect(line.contains(version), "\(line)")
        try yaml.replacingOccurrences(of: String(line), with: "  engine_version: 0.0.1-older")
            .write(toFile: table, atomically: true, encoding: .utf8)

        let checked = try await EdgeprobeBinary.run(["lut", "--check", table, "--archs", "1", "--calibration", "0"] + Self.quick)
        #expect(checked.status == 0, "\(checked.stderr)")
        let expected = "the table was measured with edgeprobe 0.0.1-older, and this check runs \(version): "
        #expect(checked.stderrLines.contains { $0.hasPrefix("edgeprobe: warning: \(expected)") }, "\(checked.stderr)")
        let record = try #require(checked.stdoutLines.first { $0.contains(#""type":"lut_check""#) })
        let warnings = try #require(JSONLines.object(record)?["warnings"] as? [String])
        #expect(warnings.contains { $0.hasPrefix(expected) }, "\(warnings)")
        let outcome = try await SchemaValidator.validateByType(buildRecord + "\n" + record + "\n")
        #expect(outcome.valid, "\(outcome.problems)")
    }
}

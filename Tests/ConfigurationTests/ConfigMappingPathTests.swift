import Configuration
import Testing

/// `ConfigMapping.absolutePath`: the one check behind every path key of the agent's configuration.
@Suite struct ConfigMappingPathTests {
    private func mapping(_ yaml: String) throws -> ConfigMapping {
        try ConfigMapping.document(yaml: yaml, file: "agent.yaml")
    }

    @Test func anAbsolutePathIsReadAndAnAbsentKeyIsNil() throws {
        var entry = try mapping("path: /var/lib/edgeprobe/out.jsonl\n")
        #expect(try entry.absolutePath("path") == "/var/lib/edgeprobe/out.jsonl")
        #expect(try entry.absolutePath("other") == nil)
    }

    /// The line is the mapping's, as the four checks this one replaced gave it.
    @Test func aRelativePathIsRefusedNamingFileLineAndKey() throws {
        var document = try mapping("a: 1\noutputs:\n  path: out/records.jsonl\n")
        var entry = try #require(try document.mapping("outputs"))
        let error = #expect(throws: ConfigError.self) { try entry.absolutePath("path") }
        #expect(error?.description == "agent.yaml:3: outputs.path: must be an absolute path, got 'out/records.jsonl'")
    }
}

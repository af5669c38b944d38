import ArgumentParser
import CommandLineSupport
import Reports
import Testing

/// The root command of a lean executable: named and versioned as the full edgeprobe, running
/// the one role it is given under that role's own name.
@Suite struct LeanExecutableConfigurationTests {
    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role")
        @Option var count = 0
    }

    struct Root: ParsableCommand {
        static let configuration = CommandConfiguration.leanExecutable(abstract: "A lean executable.", role: Role.self)
    }

    @Test func answersAsEdgeprobeWithItsVersion() {
        #expect(Root.configuration.commandName == "edgeprobe")
        #expect(Root.configuration.version == EdgeProbeVersion.current)
        #expect(Root.configuration.abstract == "A lean executable.")
    }

    @Test func runsItsRoleSpeltAsInTheFullEdgeprobe() throws {
        let command = try #require(try Root.parseAsRoot(["role", "--count", "3"]) as? Role)
        #expect(command.count == 3)
        #expect(throws: (any Error).self) { try Root.parseAsRoot(["other"]) }
    }
}

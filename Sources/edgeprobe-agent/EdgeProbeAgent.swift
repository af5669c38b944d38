import Agent
import ArgumentParser
import CommandLineSupport
import Reports
import Telemetry

/// `edgeprobe-agent`: the small executable `edgeprobe agent` hands itself over to once the
/// configuration is valid (see `EdgeprobeProgram`). Called as `edgeprobe-agent agent --config
/// PATH`, like `edgeprobe agent`; it starts the full `edgeprobe` (`InstallLayout`) as a child
/// process for suites, the latency service and reload checks.
@main
struct EdgeProbeAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration.leanExecutable(
        abstract: "The long-running agent of edgeprobe, on its own (started by `edgeprobe agent`).", role: LeanAgentCommand.self)

    static func main() async {
        // All threads allocate from one malloc arena: see EdgeProbe.main().
        ResidentHeap.useOneArena()
        await CommandMain.run(Self.self)
    }
}

/// `agent --config PATH`, run by the small executable.
struct LeanAgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent", abstract: "Run the agent with a configuration `edgeprobe agent` has validated.")

    @OptionGroup var options: AgentOptions

    func run() async throws {
        if options.check {
            // Only the full edgeprobe reads the profiles a configuration names: it checks.
            let edgeprobe = try fullEdgeprobe()
            ProcessHandOff.exec(edgeprobe, arguments: [edgeprobe, EdgeprobeExecutable.Role.check.commandName, "--config", options.config])
            printError("cannot run \(edgeprobe) to check the configuration")
            throw ExitCode.failure
        }
        let configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: options.config)
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
        let edgeprobe = try fullEdgeprobe()
        let executable = EdgeprobeExecutable(path: edgeprobe)
        do {
            try await AgentRunner(
                configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current, executable: executable, announce: printError
            ).run()
        } catch {
            printError("agent stopped: \(error)")
            throw ExitCode.failure
        }
    }

    /// The full edgeprobe, which runs the suites; says so and exits 1 when it is not installed.
    private func fullEdgeprobe() throws -> String {
        guard let edgeprobe = InstallLayout.current()?.path(of: .edgeprobe) else {
            printError("cannot find the full edgeprobe beside this executable or in ../../bin, which runs the suites")
            throw ExitCode.failure
        }
        return edgeprobe
    }
}

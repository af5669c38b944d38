import Agent
import ArgumentParser
import CommandLineSupport
import Telemetry

/// `edgeprobe-agent`: the small executable `edgeprobe agent` hands itself over to once the
/// configuration is valid (see `LeanExecutable`). Called as `edgeprobe-agent agent --config
/// PATH`, like `edgeprobe agent`; it starts the full `edgeprobe`, installed beside it or in
/// `../../bin/`, as a child process for suites, the latency service and reload checks.
@main
struct EdgeProbeAgent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgeprobe",
        abstract: "The long-running agent of edgeprobe, on its own (started by `edgeprobe agent`).",
        version: EdgeProbeVersion.current,
        subcommands: [LeanAgentCommand.self])

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

    @Option(help: ArgumentHelp("The agent's YAML configuration file.", valueName: "path"))
    var config: String

    func run() async throws {
        let configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: config)
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
        guard let running = LeanExecutable.running(), let executable = EdgeprobeExecutable.installed(besides: running) else {
            printError("cannot find the full edgeprobe beside this executable or in ../../bin, which runs the suites")
            throw ExitCode.failure
        }
        do {
            try await AgentRunner(configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current, executable: executable).run()
        } catch {
            printError("agent stopped: \(error)")
            throw ExitCode.failure
        }
    }
}

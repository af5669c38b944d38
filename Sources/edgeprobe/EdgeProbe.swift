import ArgumentParser
import CommandLineSupport
import Reports
import Telemetry

/// The `edgeprobe` command: telemetry and benchmarks for Linux edge boards, as JSON lines.
@main
struct EdgeProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgeprobe",
        abstract: "Measure a Linux edge board: telemetry and benchmarks as JSON lines.",
        discussion: """
            Machine-readable records go to standard output as JSON lines (one object per line, \
            keys sorted, units in key names). Progress, tables and warnings go to standard error.
            """,
        version: EdgeProbeVersion.current,
        subcommands: [
            Bench.self, Compress.self, Latency.self, Lut.self, Soak.self, Report.self, SampleCommand.self, SensorsCommand.self, AgentCommand.self,
            AgentCheckCommand.self, AgentLatencyServiceCommand.self,
        ]
    )

    static func main() async {
        // The agent idles for months: all its threads allocate from one malloc arena. This must
        // happen here, on the main thread, before the concurrency runtime's threads allocate.
        let agentRoles = [
            AgentCommand.configuration.commandName, AgentCheckCommand.configuration.commandName,
            AgentLatencyServiceCommand.configuration.commandName,
        ]
        if let command = CommandLine.arguments.dropFirst().first, agentRoles.contains(command) {
            ResidentHeap.useOneArena()
        }
        await CommandMain.run(Self.self, arguments: FormerSpellings.current(Array(CommandLine.arguments.dropFirst())))
    }
}

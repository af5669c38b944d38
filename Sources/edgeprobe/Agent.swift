import Agent
import ArgumentParser
import CommandLineSupport
import Harness
import Telemetry

extension EdgeProbe {
    /// `edgeprobe agent`: the long-running service mode, under systemd or on its own.
    struct AgentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Run as a service: sample at a fixed interval and run benchmark suites on a schedule.",
            discussion: """
                Reads a YAML configuration (see Deploy/agent.example.yaml and Docs/agent.md):
                sampling interval, outputs (standard output and/or a size-rotated file), board
                profile and scheduled suites, which run only while the board is idle and cool.
                A configuration error names the key and exits 1 before anything runs.

                Writes agent_start, one sample per tick, the suites' records, agent_postpone when
                a due suite must wait, agent_error on standard error when something fails, and
                agent_stop last. SIGTERM/SIGINT stop a running suite between iterations, flush
                and exit 0; SIGHUP reloads the configuration (an invalid one is reported and the
                previous one kept). Under systemd (Type=notify) it sends READY=1, WATCHDOG=1 from
                the sampling loop when WatchdogSec is set, and STOPPING=1.

                Examples:
                  edgeprobe agent --config /etc/edgeprobe/agent.yaml
                  edgeprobe agent --config Deploy/agent.example.yaml --check
                """)

        @Option(help: ArgumentHelp("The agent's YAML configuration file.", valueName: "path"))
        var config: String

        @Flag(help: "Validate the configuration (and the profiles it names), print nothing, exit 0 if valid.")
        var check = false

        func run() async throws {
            // Before the agent's threads start: one malloc arena keeps months of idling small.
            ResidentHeap.useOneArena()
            let locator = ProfileLocator.standard()
            let configuration: AgentConfiguration
            do {
                configuration = try AgentConfiguration.load(path: config)
                _ = try configuration.loadProfiles(locator: locator)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            if check { return }
            let runner = AgentRunner(
                configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current,
                check: { configuration throws(ConfigError) in _ = try configuration.loadProfiles(locator: locator) },
                extraServices: { context in [SchedulerService(context: context, locator: locator)] })
            do {
                try await runner.run()
            } catch {
                printError("agent stopped: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

import Agent
import ArgumentParser
import CommandLineSupport
import Kernels
import Reports
import Telemetry

extension EdgeProbe {
    /// `edgeprobe agent`: the long-running service mode, under systemd or on its own.
    ///
    /// This command validates the configuration with everything it names (profiles, the latency
    /// service's token file; `AgentCheckCommand`), then hands the process over to the small
    /// `edgeprobe-agent` (`ProcessHandOff`), which starts this executable again as a child for
    /// each suite and in the roles of `EdgeprobeExecutable.Role`: the latency service and the
    /// checks of a reload.
    struct AgentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Run as a service: sample at a fixed interval and run benchmark suites on a schedule.",
            discussion: """
                Reads a YAML configuration (see Deploy/agent.example.yaml and Docs/agent.md): \
                sampling interval, outputs (standard output and/or a size-rotated file), board \
                profile and scheduled suites, which run only while the board is idle and cool; \
                optionally the HTTP latency service of `latency serve` (latency_service), which \
                shares the board with the suites: one measurement at a time; optionally Prometheus \
                metrics (metrics: GET /metrics on listen, and/or a node_exporter textfile). \
                A configuration error names the key and exits 1 before anything runs.

                Writes agent_start, one sample per tick, the suites' records, agent_postpone when \
                a due suite must wait, agent_error on standard error when something fails, and \
                agent_stop last. SIGTERM/SIGINT stop a running suite between iterations, flush \
                and exit 0; SIGHUP reloads the configuration (an invalid one is reported and the \
                previous one kept). Under systemd (Type=notify) it sends READY=1, WATCHDOG=1 from \
                the sampling loop when WatchdogSec is set, and STOPPING=1.

                Examples:
                  edgeprobe agent --config /etc/edgeprobe/agent.yaml
                  edgeprobe agent --config Deploy/agent.example.yaml --check
                """)

        @OptionGroup var options: AgentOptions

        /// The suites and the latency service the agent starts inherit `EDGEPROBE_MAX_ISA`: a bad
        /// value is refused here, not by each child.
        func validate() throws {
            try InstructionSetCap.validateEnvironment()
        }

        func run() async throws {
            let configuration = try AgentCheckCommand.checkedConfiguration(path: options.config).agent
            if options.check { return }

            ProcessHandOff.handOff(to: .agent)
            // edgeprobe-agent is not installed (or EDGEPROBE_IN_PROCESS=1): the same agent, in this process.
            guard let layout = InstallLayout.current() else {
                printError("cannot find this executable's path in /proc/self/exe, which the agent needs to start suites")
                throw ExitCode.failure
            }
            let runner = AgentRunner(
                configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current,
                executable: EdgeprobeExecutable(path: layout.running), announce: printError)
            do {
                try await runner.run()
            } catch {
                printError("agent stopped: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

import Agent
import ArgumentParser
import CommandLineSupport
import Harness
import LatencyService
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
                profile and scheduled suites, which run only while the board is idle and cool;
                optionally the HTTP latency service of `latency --serve` (latency_service), which
                shares the board with the suites: one measurement at a time.
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
            let locator = ProfileLocator.standard()
            let configuration: AgentConfiguration
            let latencyConfiguration: LatencyServiceConfiguration?
            do {
                configuration = try AgentConfiguration.load(path: config)
                let profiles = try configuration.loadProfiles(locator: locator)
                latencyConfiguration = try configuration.latencyServiceConfiguration(board: profiles.board)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            if check { return }
            // One gate for the board: latency requests and scheduled suites never measure at once.
            let gate = MeasurementGate()
            let latencyService: LatencyService?
            do {
                latencyService = try latencyConfiguration.map { configuration throws(LatencyServiceError) in
                    try LatencyService(handler: LatencyServiceHandler(configuration: configuration, gate: gate))
                }
            } catch {
                printError("\(config): \(AgentConfiguration.latencyServiceKey): \(error)")
                throw ExitCode.failure
            }
            let runner = AgentRunner(
                configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current,
                check: { configuration throws(ConfigError) in
                    let profiles = try configuration.loadProfiles(locator: locator)
                    _ = try configuration.latencyServiceConfiguration(board: profiles.board)
                },
                extraServices: { context in
                    [SchedulerService(context: context, locator: locator, gate: gate)] + (latencyService.map { [$0] } ?? [])
                })
            do {
                try await runner.run()
            } catch {
                printError("agent stopped: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

import Agent
import AgentValidation
import ArgumentParser
import BoardLock
import CommandLineSupport
import Glibc
import LatencyService
import Profiles
import Telemetry

extension EdgeProbe {
    /// `edgeprobe agent`: the long-running service mode, under systemd or on its own.
    ///
    /// This command validates the configuration with everything it names (profiles, the latency
    /// service's token file), then hands the process over to the small `edgeprobe-agent` (see
    /// `LeanExecutable`), which starts this executable again as a child for each suite, for the
    /// latency service and for the checks of a reload.
    struct AgentCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "agent",
            abstract: "Run as a service: sample at a fixed interval and run benchmark suites on a schedule.",
            discussion: """
                Reads a YAML configuration (see Deploy/agent.example.yaml and Docs/agent.md): \
                sampling interval, outputs (standard output and/or a size-rotated file), board \
                profile and scheduled suites, which run only while the board is idle and cool; \
                optionally the HTTP latency service of `latency serve` (latency_service), which \
                shares the board with the suites: one measurement at a time. \
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

        @Option(help: ArgumentHelp("The agent's YAML configuration file.", valueName: "path"))
        var config: String

        @Flag(help: "Validate the configuration (and the profiles it names), print nothing, exit 0 if valid.")
        var check = false

        @Flag(help: .private)
        var latencyServiceOnly = false

        @Option(help: .private)
        var boardLock: String?

        func validate() throws {
            if latencyServiceOnly, boardLock == nil { throw ValidationError("--latency-service-only needs --board-lock") }
        }

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
            if let file = configuration.outputs.file, let problem = Self.outputFileProblem(file.path) {
                printError("\(config): outputs.file.path: \(problem)")
                throw ExitCode.failure
            }
            if check { return }
            if latencyServiceOnly { return try await serve(latencyConfiguration) }

            LeanExecutable.agent.handOff()
            // edgeprobe-agent is not installed (or EDGEPROBE_IN_PROCESS=1): the same agent, in this process.
            guard let running = LeanExecutable.running() else {
                printError("cannot find this executable's path in /proc/self/exe, which the agent needs to start suites")
                throw ExitCode.failure
            }
            let runner = AgentRunner(
                configuration: configuration, edgeprobeVersion: EdgeProbeVersion.current,
                executable: EdgeprobeExecutable(path: running))
            do {
                try await runner.run()
            } catch {
                printError("agent stopped: \(error)")
                throw ExitCode.failure
            }
        }

        /// The state directory of the shipped unit (`StateDirectory=edgeprobe`): systemd creates it
        /// when the service starts, so a fresh installation may check a configuration before it exists.
        static let unitStateDirectory = "/var/lib/edgeprobe"

        /// Why records cannot be written at `path` (a directory, a missing or read-only directory).
        static func outputFileProblem(_ path: String) -> String? {
            guard let problem = OutputPath.problem(path) else { return nil }
            if OutputPath.directory(of: path) == unitStateDirectory, access(unitStateDirectory, F_OK) != 0 { return nil }
            return problem
        }

        /// The agent's latency service, as the agent's child process: measures only while it
        /// holds the board lock the agent's scheduler takes for its suites.
        private func serve(_ configuration: LatencyServiceConfiguration?) async throws {
            guard let configuration, let boardLock else {
                printError("\(config): \(AgentConfiguration.latencyServiceKey) is not set")
                throw ExitCode.failure
            }
            let service: LatencyService
            do {
                let lock = try BoardLock(path: boardLock)
                service = try LatencyService(handler: LatencyServiceHandler(configuration: configuration, gate: MeasurementGate(boardLock: lock)))
            } catch {
                printError("\(config): \(AgentConfiguration.latencyServiceKey): \(error)")
                throw ExitCode.failure
            }
            do {
                try await service.runUntilSignalled(announce: printError)
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
        }
    }
}

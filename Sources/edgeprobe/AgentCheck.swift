import Agent
import AgentValidation
import ArgumentParser
import CommandLineSupport
import Glibc
import LatencyService
import Profiles

extension EdgeProbe {
    /// `edgeprobe agent-check --config PATH` (hidden): the agent's configuration checked with
    /// everything it names. `agent --check` runs the same check; the running agent starts this
    /// command as a child to check a configuration before a reload takes it.
    struct AgentCheckCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: EdgeprobeExecutable.Role.check.commandName,
            abstract: "Check an agent configuration with the profiles and token file it names.",
            shouldDisplay: false)

        @OptionGroup var file: AgentConfigFile

        func run() throws {
            _ = try Self.checkedConfiguration(path: file.config)
        }

        /// The configuration at `path`, its profiles loaded, its latency service's settings and
        /// token file and its metrics' token file and textfile directory checked; says what is
        /// wrong and exits 1 otherwise.
        static func checkedConfiguration(
            path: String
        ) throws -> (agent: AgentConfiguration, latencyService: LatencyServiceConfiguration?) {
            let checked: (agent: AgentConfiguration, latencyService: LatencyServiceConfiguration?)
            do {
                let configuration = try AgentConfiguration.load(path: path)
                let profiles = try configuration.loadProfiles(locator: ProfileLocator.standard())
                checked = (configuration, try configuration.latencyServiceConfiguration(board: profiles.board))
                _ = try configuration.checkMetricsFiles()
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            if let file = checked.agent.outputs.file, let problem = outputFileProblem(file.path) {
                printError("\(path): outputs.file.path: \(problem)")
                throw ExitCode.failure
            }
            return checked
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
    }
}

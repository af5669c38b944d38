import Agent
import AgentValidation
import ArgumentParser
import CommandLineSupport
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

        /// The configuration at `path`, its profiles loaded and its latency service's settings and
        /// token file checked; says what is wrong and exits 1 otherwise.
        static func checkedConfiguration(
            path: String
        ) throws -> (agent: AgentConfiguration, latencyService: LatencyServiceConfiguration?) {
            do {
                let configuration = try AgentConfiguration.load(path: path)
                let profiles = try configuration.loadProfiles(locator: ProfileLocator.standard())
                return (configuration, try configuration.latencyServiceConfiguration(board: profiles.board))
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
        }
    }
}

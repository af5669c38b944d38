import Agent
import ArgumentParser
import BoardLock
import CommandLineSupport
import Kernels
import LatencyService

extension EdgeProbe {
    /// `edgeprobe agent-latency-service --config PATH --board-lock PATH` (hidden): the agent's
    /// latency service, as the agent's child process. It measures only while it holds the board
    /// lock the agent's scheduler takes for its suites.
    struct AgentLatencyServiceCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: EdgeprobeExecutable.Role.latencyService.commandName,
            abstract: "Serve an agent configuration's latency_service, sharing the board lock with its suites.",
            shouldDisplay: false)

        @OptionGroup var file: AgentConfigFile

        @Option(help: ArgumentHelp("The lock file the agent's scheduler holds around every suite.", valueName: "path"))
        var boardLock: String

        /// It runs kernels without the measurement options, which check `EDGEPROBE_MAX_ISA` elsewhere.
        func validate() throws {
            try InstructionSetCap.validateEnvironment()
        }

        func run() async throws {
            guard let configuration = try AgentCheckCommand.checkedConfiguration(path: file.config).latencyService else {
                printError("\(file.config): \(AgentConfiguration.latencyServiceKey) is not set")
                throw ExitCode.failure
            }
            let service: LatencyService
            do {
                let lock = try BoardLock(path: boardLock)
                service = try LatencyService(handler: LatencyServiceHandler(configuration: configuration, gate: MeasurementGate(boardLock: lock)))
            } catch {
                printError("\(file.config): \(AgentConfiguration.latencyServiceKey): \(error)")
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

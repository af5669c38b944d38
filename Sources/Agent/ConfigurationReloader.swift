import Reports

/// SIGHUP: re-reads the configuration file. A valid new configuration is put in effect (outputs
/// reopened if they changed) and an `agent_reload` record says so; an invalid one changes
/// nothing and an `agent_error` record (also on standard error) says why.
///
/// The latency service and the metrics endpoint are not restarted by a reload (their sockets,
/// tokens and the requests in flight stay as they started): a changed `latency_service` or
/// `metrics` is validated like the rest, the old settings stay in effect, `agent_reload` lists
/// the key in `restart_required`, and an `agent_error` record says to restart the agent.
public struct ConfigurationReloader: Sendable {
    private let context: AgentContext
    private let executable: EdgeprobeExecutable

    /// A reloader for `context`; `executable` checks what the file names (board and suite
    /// profiles, the latency service's token file) beyond the file's own syntax.
    public init(context: AgentContext, executable: EdgeprobeExecutable) {
        self.context = context
        self.executable = executable
    }

    /// Reloads the file the configuration in effect was read from.
    public func reload() async {
        context.notifier.reloading()
        defer { context.notifier.ready() }
        let previous = context.configuration.current
        var configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: previous.path)
        } catch {
            refuse(error.description)
            return
        }
        let executable = self.executable
        if let problem = await BlockingThread.run({ executable.problem(withConfiguration: previous.path) }) {
            refuse(problem)
            return
        }
        var restartRequired: [String] = []
        if configuration.latencyService != previous.latencyService {
            restartRequired.append(AgentConfiguration.latencyServiceKey)
            configuration.latencyService = previous.latencyService
            context.report(AgentErrorRecord(
                source: "reload",
                message: "\(AgentConfiguration.latencyServiceKey) changed in \(previous.path); a reload does not restart the latency service",
                action: "the rest of the file is in effect, the latency service keeps its settings; restart the agent to apply them"))
        }
        if configuration.metrics != previous.metrics {
            restartRequired.append(AgentConfiguration.metricsKey)
            configuration.metrics = previous.metrics
            context.report(AgentErrorRecord(
                source: "reload",
                message: "\(AgentConfiguration.metricsKey) changed in \(previous.path); a reload does not restart the metrics endpoint or textfile",
                action: "the rest of the file is in effect, the metrics keep their settings; restart the agent to apply them"))
        }
        let outputsChanged = configuration.outputs != previous.outputs
        if outputsChanged {
            context.output.replaceStandardOutput(with: AgentOutputs.standardOutput(configuration.outputs))
            context.output.replaceFile(with: AgentOutputs.file(configuration.outputs))
        }
        context.configuration.replace(with: configuration)
        context.metrics.reloaded(
            configuration, throttleLimitC: BoardProfileFile.throttleLimitC(board: configuration.board, executable: executable))
        context.write(AgentReloadRecord(
            config: ConfigSummary(configuration), outputsChanged: outputsChanged, restartRequired: restartRequired))
    }

    private func refuse(_ problem: String) {
        context.metrics.reloadFailed()
        context.report(AgentErrorRecord(source: "reload", message: problem, action: "keeping the previous configuration"))
    }
}

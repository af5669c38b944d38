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
        for key in keepSectionsNeedingRestart(in: &configuration, previous: previous) {
            restartRequired.append(key)
            context.report(AgentErrorRecord(
                source: "reload",
                message: "\(key) changed in \(previous.path); a reload does not restart what it configures",
                action: "the rest of the file is in effect, \(key) keeps its previous settings; restart the agent to apply them"))
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

    /// The sections a reload cannot apply (their sockets, tokens and requests in flight stay as
    /// they started) that changed: each keeps `previous`' value in `configuration`.
    private func keepSectionsNeedingRestart(in configuration: inout AgentConfiguration, previous: AgentConfiguration) -> [String] {
        var kept: [String] = []
        if configuration.latencyService != previous.latencyService {
            configuration.latencyService = previous.latencyService
            kept.append(AgentConfiguration.latencyServiceKey)
        }
        if configuration.metrics != previous.metrics {
            configuration.metrics = previous.metrics
            kept.append(AgentConfiguration.metricsKey)
        }
        return kept
    }

    private func refuse(_ problem: String) {
        context.metrics.reloadFailed()
        context.report(AgentErrorRecord(source: "reload", message: problem, action: "keeping the previous configuration"))
    }
}

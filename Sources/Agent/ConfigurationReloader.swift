import Reports

/// SIGHUP: re-reads the configuration file. A valid new configuration is put in effect (outputs
/// reopened if they changed) and an `agent_reload` record says so; an invalid one changes
/// nothing and an `agent_error` record (also on standard error) says why.
public struct ConfigurationReloader: Sendable {
    private let context: AgentContext
    private let check: @Sendable (AgentConfiguration) throws(ConfigError) -> Void

    /// A reloader for `context`; `check` validates what the file names (board, suites) beyond
    /// the file's own syntax.
    public init(context: AgentContext, check: @escaping @Sendable (AgentConfiguration) throws(ConfigError) -> Void) {
        self.context = context
        self.check = check
    }

    /// Reloads the file the configuration in effect was read from.
    public func reload() {
        context.notifier.reloading()
        defer { context.notifier.ready() }
        let previous = context.configuration.current
        let configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.load(path: previous.path)
            try check(configuration)
        } catch {
            context.report(AgentErrorRecord(
                source: "reload", message: error.description, action: "keeping the previous configuration"))
            return
        }
        let outputsChanged = configuration.outputs != previous.outputs
        if outputsChanged {
            context.output.replaceStandardOutput(with: AgentOutputs.standardOutput(configuration.outputs))
            context.output.replaceFile(with: AgentOutputs.file(configuration.outputs))
        }
        context.configuration.replace(with: configuration)
        context.write(AgentReloadRecord(config: ConfigSummary(configuration), outputsChanged: outputsChanged))
    }
}

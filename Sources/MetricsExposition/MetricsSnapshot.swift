import Telemetry

/// Everything the exposition is made of at one moment: the latest sample, the suites' last
/// results and the agent's own figures. Copied under a lock by the agent, turned into series
/// (`registry()`) outside it, so neither a scrape nor the textfile ever holds up sampling.
public struct MetricsSnapshot: Sendable, Equatable {
    /// The latest sample, `nil` before the first.
    public var sample: Sample?
    /// The scheduled suites' last results.
    public var suites: SuiteResults
    /// The agent's identity, settings and totals.
    public var agent: AgentFigures

    /// A snapshot of the given parts.
    public init(sample: Sample?, suites: SuiteResults, agent: AgentFigures) {
        self.sample = sample
        self.suites = suites
        self.agent = agent
    }

    /// The series, family by family: board, suites, agent.
    public func registry() -> MetricsRegistry {
        var registry = MetricsRegistry()
        if let sample { registry.addBoardSeries(sample) }
        registry.addSuiteSeries(suites)
        registry.addAgentSeries(agent, process: sample?.process)
        return registry
    }
}

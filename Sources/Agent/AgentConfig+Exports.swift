// The configuration file is read by AgentConfig (no Foundation, for a small agent executable);
// `import Agent` keeps giving its users AgentConfiguration, ConfigError and ConfigSummary.
@_exported import AgentConfig

import ArgumentParser

/// `--config PATH`: the agent's configuration file, for `agent` and each of its roles.
public struct AgentConfigFile: ParsableArguments {
    /// No file yet: parsing sets it.
    public init() {}

    @Option(help: ArgumentHelp("The agent's YAML configuration file.", valueName: "path"))
    public var config: String
}

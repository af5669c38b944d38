import ArgumentParser

/// The options of `agent`, declared once for the full `edgeprobe agent` and the small
/// `edgeprobe-agent`: the full one checks the configuration and then hands its command line over
/// unchanged (`ProcessHandOff`), so whatever it accepts the small one must parse too.
public struct AgentOptions: ParsableArguments {
    /// Options as parsed.
    public init() {}

    @OptionGroup public var file: AgentConfigFile

    /// The configuration file's path.
    public var config: String { file.config }

    @Flag(help: "Validate the configuration (and the profiles it names), print nothing, exit 0 if valid.")
    public var check = false
}

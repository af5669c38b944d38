import ArgumentParser
import Reports

extension CommandConfiguration {
    /// The root command of a lean executable (`edgeprobe-agent`, `edgeprobe-sample`): it answers
    /// as `edgeprobe`, with edgeprobe's version, and runs the one `role` the full edgeprobe hands
    /// over to it, spelt as there (`agent`, `sample`).
    public static func leanExecutable(abstract: String, role: any ParsableCommand.Type) -> CommandConfiguration {
        CommandConfiguration(commandName: "edgeprobe", abstract: abstract, version: EdgeProbeVersion.current, subcommands: [role])
    }
}

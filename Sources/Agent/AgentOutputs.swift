import Reports

/// The sinks a configuration's `outputs` section asks for.
public enum AgentOutputs {
    /// Standard output, when `outputs.stdout` is true.
    public static func standardOutput(_ outputs: AgentConfiguration.Outputs) -> (any LineSink)? {
        outputs.standardOutput ? FileDescriptorSink.standardOutput : nil
    }

    /// The rotating file, when `outputs.file` is set; opened at its first line.
    public static func file(_ outputs: AgentConfiguration.Outputs) -> (any LineSink)? {
        outputs.file.map { RotatingFileSink(path: $0.path, maxBytes: $0.maxBytes, retainedFiles: $0.keep) }
    }

    /// An `AgentOutput` writing to both.
    public static func make(_ outputs: AgentConfiguration.Outputs) -> AgentOutput {
        AgentOutput(standardOutput: standardOutput(outputs), file: file(outputs))
    }
}

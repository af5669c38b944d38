import ArgumentParser
import Reports

/// Where a command's JSON lines go, shared by every command that writes records.
public struct OutputOptions: ParsableArguments {
    /// No output file: records go to standard output.
    public init() {}

    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Append JSON lines to this file instead of standard output.", valueName: "path"))
    public var output: String?

    /// A record writer for this run, opening `--output` for appending.
    /// - Throws: `ExitCode.failure` (1) after saying why when the file cannot be opened.
    public func makeWriter() throws -> RecordWriter {
        guard let output else { return RecordWriter() }
        do {
            return RecordWriter(sink: try FileDescriptorSink(appendingTo: output))
        } catch {
            printError("--output: \(error)")
            throw ExitCode.failure
        }
    }
}

import ArgumentParser
import Reports

/// Where a command's JSON lines go, shared by every command that writes records.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp(
        "Append JSON lines to this file instead of standard output.", valueName: "path"))
    var output: String?

    /// A record writer for this run, opening `--output` for appending.
    /// - Throws: `ExitCode.failure` (1) after saying why when the file cannot be opened.
    func makeWriter() throws -> RecordWriter {
        guard let output else { return RecordWriter() }
        do {
            return RecordWriter(sink: try FileDescriptorSink(appendingTo: output))
        } catch {
            printError("--output: \(error)")
            throw ExitCode.failure
        }
    }
}

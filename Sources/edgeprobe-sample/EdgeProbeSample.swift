import ArgumentParser
import CommandLineSupport

/// `edgeprobe-sample`: the small executable `edgeprobe sample` hands itself over to (see
/// `EdgeprobeProgram`). Called as `edgeprobe-sample sample [options]`, like `edgeprobe sample`.
@main
struct EdgeProbeSample: ParsableCommand {
    static let configuration = CommandConfiguration.leanExecutable(
        abstract: "Sample the board as JSON lines (the long-running part of edgeprobe, on its own).", role: SampleCommand.self)

    static func main() {
        CommandMain.runSynchronously(Self.self)
    }
}

import ArgumentParser
import Glibc

/// The `main()` of both edgeprobe executables. Usage errors (a bad option value, a missing
/// argument) print one line naming the option and exit 2, the status shells and `getopt` tools
/// use, instead of ArgumentParser's usage block and status 64; runtime errors print one
/// `edgeprobe: ` line and exit 1; help and version are unchanged.
public enum CommandMain {
    /// Parses `arguments` (default: the command line) with `Root` and runs the chosen command,
    /// which may be async.
    public static func run<Root: ParsableCommand>(_ root: Root.Type, arguments: [String]? = nil) async {
        ProcessHandOff.recordInheritedDescriptors()
        do {
            var command = try Root.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(Root.self, after: error)
        }
    }

    /// Parses the command line with `Root` and runs the chosen command on the main thread, with
    /// no concurrency runtime and no Dispatch threads: for `edgeprobe-sample`, whose commands
    /// are all synchronous.
    public static func runSynchronously<Root: ParsableCommand>(_ root: Root.Type) {
        ProcessHandOff.recordInheritedDescriptors()
        do {
            var command = try Root.parseAsRoot()
            try command.run()
        } catch {
            exit(Root.self, after: error)
        }
    }

    private static func exit<Root: ParsableCommand>(_ root: Root.Type, after error: any Error) -> Never {
        let code = Root.exitCode(for: error)
        if code == .validationFailure {
            printError(Root.message(for: error).split(separator: "\n").joined(separator: " "))
            Glibc.exit(2)
        }
        // A runtime error (a record that cannot be written, ...): one `edgeprobe: ` line, status 1.
        if code == .failure, !(error is ExitCode), case let message = Root.message(for: error), !message.isEmpty {
            printError(message.split(separator: "\n").joined(separator: " "))
            Glibc.exit(1)
        }
        Root.exit(withError: error)
    }
}

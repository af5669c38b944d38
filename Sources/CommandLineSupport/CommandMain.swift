import ArgumentParser
import Glibc

/// The `main()` of both edgeprobe executables. Usage errors (a bad option value, a missing
/// argument) print one line naming the option and exit 2, the status shells and `getopt` tools
/// use, instead of ArgumentParser's usage block and status 64; help, version and runtime errors
/// are unchanged.
public enum CommandMain {
    /// Parses the command line with `Root` and runs the chosen command, which may be async.
    public static func run<Root: ParsableCommand>(_ root: Root.Type) async {
        ProcessHandOff.recordInheritedDescriptors()
        do {
            var command = try Root.parseAsRoot()
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
        if Root.exitCode(for: error) == .validationFailure {
            printError(Root.message(for: error).split(separator: "\n").joined(separator: " "))
            Glibc.exit(2)
        }
        Root.exit(withError: error)
    }
}

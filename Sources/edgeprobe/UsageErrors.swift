import ArgumentParser
import Glibc

extension EdgeProbe {
    /// Runs the command line. Usage errors (a bad option value, a missing argument) print one
    /// line naming the option and exit 2, the status shells and `getopt` tools use, instead of
    /// ArgumentParser's usage block and status 64; help, version and runtime errors are unchanged.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(message(for: error).split(separator: "\n").joined(separator: " "))
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

import ArgumentParser
@testable import edgeprobe

/// The commands of `edgeprobe`, walked from the root.
enum CommandTree {
    /// The root and every subcommand, hidden ones included.
    static let all: [any ParsableCommand.Type] = walk(EdgeProbe.self)

    /// The commands `--help` lists (the root included).
    static let visible: [any ParsableCommand.Type] = all.filter { $0.configuration.shouldDisplay }

    private static func walk(_ command: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
        [command] + command.configuration.subcommands.flatMap { walk($0) }
    }

    /// The command the words name (`["latency", "serve"]`), or nil if there is none.
    static func command(at words: [String]) -> (any ParsableCommand.Type)? {
        var command: any ParsableCommand.Type = EdgeProbe.self
        for word in words {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == word }) else { return nil }
            command = next
        }
        return command
    }
}

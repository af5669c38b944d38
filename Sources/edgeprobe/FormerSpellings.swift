/// Spellings of commands that have moved, rewritten to the current ones before parsing: a former
/// spelling runs the current command itself, with its options and its defaults.
enum FormerSpellings {
    /// The arguments (without the program name) in the current spelling: `latency --serve ...`,
    /// from before the latency server became a subcommand, is `latency serve ...`.
    static func current(_ arguments: [String]) -> [String] {
        guard arguments.first == "latency", let flag = arguments.firstIndex(of: "--serve") else { return arguments }
        var current = arguments
        current.remove(at: flag)
        current.insert("serve", at: 1)
        return current
    }
}

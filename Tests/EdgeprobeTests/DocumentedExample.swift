import Foundation

/// One `edgeprobe …` command found in a document: its arguments (without the program name).
struct DocumentedExample {
    let arguments: [String]
    let line: Int

    /// The arguments with `--cpus big` or `little` read as `--cpus all`: the same grammar, but
    /// checked against the machine's clusters, and the one running the tests may have only one.
    var argumentsForAnyBoard: [String] {
        zip([""] + arguments, arguments).map { previous, argument in
            previous == "--cpus" && (argument == "big" || argument == "little") ? "all" : argument
        }
    }

    /// Only words, no option or value (`edgeprobe latency` in running text): names a command.
    var isCommandNameOnly: Bool {
        arguments.allSatisfy { $0.first != "-" && $0.allSatisfy { $0.isLowercase || $0 == "-" } }
    }

    /// The examples of a Markdown text: the lines of its fenced code blocks (continued lines
    /// joined) and its inline code spans. Synopses (`[--threads N]`, `FILE...`, `…`, upper-case placeholders) are left out:
    /// they are not command lines.
    static func examples(inMarkdown text: String) -> [DocumentedExample] {
        var examples: [DocumentedExample] = []
        var inFence = false
        var shellFence = false
        var aliases: Set<String> = []
        var continued = ""
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inFence.toggle()
                shellFence = ["sh", "bash", "shell", "console"].contains(trimmed.dropFirst(3))
                continue
            }
            if inFence {
                // `B=.build/debug/edgeprobe` makes `$B bench …` an edgeprobe command.
                let assignment = line.split(separator: "=", maxSplits: 1)
                if assignment.count == 2, assignment[1].hasSuffix("/edgeprobe"), !assignment[0].contains(" ") {
                    aliases.insert("$" + assignment[0])
                }
                if line.hasSuffix("\\") {
                    continued += line.dropLast() + " "
                    continue
                }
                // A fence without a shell tag may hold a diagram (`edgeprobe ──► …`): only its lines
                // with an option are taken as commands.
                examples += Self.examples(inShellLine: continued + line, line: number, aliases: aliases)
                    .filter { shellFence || $0.arguments.contains { $0.hasPrefix("-") } }
                continued = ""
            } else {
                let spans = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.offset % 2 == 1 }.map { String($0.element) }
                for span in spans {
                    examples += Self.examples(inShellLine: span, line: number)
                }
            }
        }
        return examples
    }

    /// The examples of a systemd unit: its `ExecStart=` lines.
    static func examples(inUnit text: String) -> [DocumentedExample] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().flatMap { index, line in
            line.hasPrefix("ExecStart=")
                ? Self.examples(inShellLine: String(line.dropFirst("ExecStart=".count)), line: index + 1) : []
        }
    }

    /// The `edgeprobe` commands of one shell line: each part of a pipeline or list whose program
    /// is `edgeprobe` (a path ending in `/edgeprobe`, or an alias of one), after any `sudo`,
    /// `flock LOCKFILE` or `NAME=value`.
    static func examples(inShellLine line: String, line number: Int, aliases: Set<String> = []) -> [DocumentedExample] {
        var text = line
        if let comment = text.range(of: " #") { text = String(text[..<comment.lowerBound]) }
        let parts = text.components(separatedBy: "&").flatMap { $0.components(separatedBy: ";") }
            .flatMap { $0.components(separatedBy: "|") }  // `&&`, `&` (background), `;`, pipes
        return parts.compactMap { part in
            var words = shellWords(part)
            while let first = words.first, first == "$" || first == "sudo" || first == "flock" || first.contains("=") {
                words.removeFirst(first == "flock" ? min(2, words.count) : 1)  // `flock LOCKFILE command`
            }
            guard let program = words.first, program == "edgeprobe" || program.hasSuffix("/edgeprobe") || aliases.contains(program)
            else { return nil }
            var arguments = Array(words.dropFirst())
            if let redirect = arguments.firstIndex(where: { $0.hasPrefix(">") || $0.hasPrefix("2>") || $0.hasPrefix("<") }) {
                arguments = Array(arguments[..<redirect])
            }
            guard !arguments.isEmpty, !arguments.contains(where: isPlaceholder) else { return nil }
            return DocumentedExample(arguments: arguments, line: number)
        }
    }

    /// Words split at blanks, as a shell does for these examples: quotes group and are removed.
    private static func shellWords(_ text: String) -> [String] {
        var words: [String] = []
        var word: String?
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { word = (word ?? "") + String(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                word = word ?? ""
            } else if character == " " || character == "\t" {
                if let finished = word { words.append(finished) }
                word = nil
            } else {
                word = (word ?? "") + String(character)
            }
        }
        if let finished = word { words.append(finished) }
        return words
    }

    private static func isPlaceholder(_ word: String) -> Bool {
        word.contains("[") || word.contains("…") || word.contains("...") || word.contains("<")
            || (word.contains { $0.isLetter } && word.allSatisfy { $0.isUppercase || $0 == "_" })
    }
}

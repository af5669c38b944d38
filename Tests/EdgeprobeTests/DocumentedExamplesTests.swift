import ArgumentParser
@testable import edgeprobe
import Foundation
import TestSupport
import Testing

/// Every `edgeprobe …` example in the READMEs, Docs/, the units and the `Examples:` of each `--help`
/// parses as the command line would parse it, so the docs cannot drift from the options.
@Suite struct DocumentedExamplesTests {
    /// The documents whose examples are checked, relative to the repository's root: the READMEs,
    /// Docs/ (Markdown), and the systemd units' `ExecStart=` lines.
    private static let documents: [String] = {
        func files(in folder: String, _ suffix: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.path(folder))) ?? []
            return names.filter { $0.hasSuffix(suffix) }.sorted().map { folder + "/" + $0 }
        }
        let benchmarks = ((try? FileManager.default.contentsOfDirectory(atPath: Repository.path("Benchmarks"))) ?? [])
            .sorted().map { "Benchmarks/\($0)/README.md" }
            .filter { FileManager.default.fileExists(atPath: Repository.path($0)) }
        return ["README.md", "Clients/python/README.md"] + files(in: "Docs", ".md") + benchmarks + files(in: "Deploy", ".service")
    }()

    @Test(arguments: documents)
    func everyExampleInTheDocumentParses(document: String) throws {
        let text = try String(contentsOfFile: Repository.path(document), encoding: .utf8)
        let examples = document.hasSuffix(".md")
            ? DocumentedExample.examples(inMarkdown: text) : DocumentedExample.examples(inUnit: text)
        for example in examples {
            expectParses(example, "\(document):\(example.line)")
        }
    }

    @Test func theReadmeHasConcreteExamples() throws {
        let text = try String(contentsOfFile: Repository.path("README.md"), encoding: .utf8)
        // The README's code block alone holds seven; a change to the extraction that finds none
        // would otherwise pass every document unchecked.
        #expect(DocumentedExample.examples(inMarkdown: text).filter { !$0.isCommandNameOnly }.count >= 7)
    }

    @Test(arguments: CommandTree.visible.map { $0 as any ParsableCommand.Type })
    func everyExampleOfTheHelpParses(command: any ParsableCommand.Type) {
        let discussion = command.configuration.discussion
        guard let start = discussion.range(of: "Examples:\n") else { return }
        let lines = discussion[start.upperBound...].split(separator: "\n").map { String($0) }
        let examples = lines.enumerated().flatMap { DocumentedExample.examples(inShellLine: $0.element, line: $0.offset + 1) }
        #expect(!examples.isEmpty, "\(command): an Examples: section without an edgeprobe command")
        for example in examples {
            expectParses(example, "\(command) --help, example \(example.line)")
        }
    }

    @Test func aWrongExampleIsCaught() {
        let examples = DocumentedExample.examples(inMarkdown: """
            ```sh
            .build/release/edgeprobe bench --no-such-option 1   # a comment
            ```
            """)
        #expect(examples.map(\.arguments) == [["bench", "--no-such-option", "1"]])
        #expect(throws: (any Error).self) { try EdgeProbe.parseAsRoot(examples[0].arguments) }
        #expect(CommandTree.command(at: ["latency", "serve"]) != nil)
        #expect(CommandTree.command(at: ["latency", "listen"]) == nil)
    }

    /// Parses `example` as `edgeprobe` does (former spellings rewritten first). A span that only
    /// names a command (`edgeprobe agent` in running text) must name one that exists.
    private func expectParses(_ example: DocumentedExample, _ place: String) {
        if example.isCommandNameOnly {
            #expect(CommandTree.command(at: example.arguments) != nil, "\(place): no command `edgeprobe \(example.arguments.joined(separator: " "))`")
            return
        }
        do {
            _ = try EdgeProbe.parseAsRoot(FormerSpellings.current(example.argumentsForAnyBoard))
        } catch {
            let message = EdgeProbe.message(for: error)
            Issue.record("\(place): `edgeprobe \(example.arguments.joined(separator: " "))` does not parse: \(message)")
        }
    }
}

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

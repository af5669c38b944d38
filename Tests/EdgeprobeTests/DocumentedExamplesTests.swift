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

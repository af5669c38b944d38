import ArgumentParser
import CommandLineSupport
import ResultsReport

extension EdgeProbe {
    /// `edgeprobe report`: edgeprobe's JSON lines as one self-contained HTML page (or Markdown).
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn edgeprobe's JSON lines into one HTML page with charts and tables (or Markdown).",
            discussion: """
                Reads every record type edgeprobe writes (bench, comparison, soak/window, sample and \
                the agent's records, sensors, compression, latency, lut/lut_check; others are \
                listed), groups them by run (run_id) and host, and writes one page: a summary of \
                the runs and their warnings, then a section per kind of result with a chart and the \
                numbers behind it. Runs of several hosts show side by side; two runs of one host \
                also as before/after. The HTML holds only inline CSS and SVG: no script, nothing \
                fetched, readable offline and printable. Docs/report.md explains each section.

                A blank line, a truncated last line or a line that is not a record is skipped with \
                a warning naming it; a file with no record at all is an error (exit 1).

                Examples:
                  edgeprobe report bench.jsonl --output report.html
                  edgeprobe report pi4.jsonl pi5.jsonl -o boards.html
                  edgeprobe sample --count 60 | edgeprobe report - --format markdown
                """)

        @Argument(help: ArgumentHelp("JSON-lines files written by edgeprobe; - for standard input.", valueName: "file"))
        var files: [String]

        @Option(name: .shortAndLong, help: ArgumentHelp(
            "Write the page to this file (replaced whole, atomically) instead of standard output.", valueName: "path"))
        var output: String?

        @Option(help: "html: one page with charts. markdown: the same tables, no charts, for a pull request or an issue.")
        var format: ReportFormat = .html

        @Option(help: "The page's title.")
        var title = "edgeprobe report"

        func validate() throws {
            if files.isEmpty { throw ValidationError("give at least one JSON-lines file, or - for standard input") }
            if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        }

        func run() throws {
            var records: [ResultRecord] = []
            var warnings: [ReportWarning] = []
            do {
                for file in files {
                    let outcome = try ResultsReader.read(text: try ReportFiles.read(file), file: file)
                    records += outcome.records
                    warnings += outcome.warnings
                }
            } catch let failure as ResultsReader.Failure {
                printError(failure.description)
                throw ExitCode.failure
            } catch let failure as ReportFiles.Failure {
                printError(failure.description)
                throw ExitCode.failure
            }
            for warning in warnings { printError("warning: \(warning)") }
            let document = ResultsReport.document(for: ResultsCollection(records: records, warnings: warnings), title: title)
            let text = format == .html ? HTMLReportWriter.page(document, sources: files) : MarkdownReportWriter.text(document, sources: files)
            guard let output else {
                print(text, terminator: "")
                return
            }
            do {
                try ReportFiles.writeAtomically(text, to: output)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            printError("wrote \(document.sections.count) sections from \(records.count) records to \(output)")
        }
    }

    /// How `report` writes the report.
    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case html, markdown
    }
}

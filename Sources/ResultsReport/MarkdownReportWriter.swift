import Foundation

/// Writes a report as Markdown for a pull request or an issue: the same summary and tables as
/// the HTML page, no charts (each chart's caption is kept as a note of what it showed).
public enum MarkdownReportWriter {
    /// The Markdown text of `document`, read from `sources`.
    public static func text(_ document: ReportDocument, sources: [String]) -> String {
        var text = "# \(document.title)\n\nFrom \(sources.map { "`\($0)`" }.joined(separator: ", ")).\n\n## Runs\n\n" + table(document.runs)
        if !document.warnings.isEmpty {
            text += "\n**\(document.warnings.count) warning\(document.warnings.count == 1 ? "" : "s")**\n\n"
            text += document.warnings.map { "- \(inline($0))\n" }.joined()
        }
        for section in document.sections {
            text += "\n## \(section.title)\n"
            for block in section.blocks {
                switch block {
                case .paragraph(let paragraph): text += "\n\(inline(paragraph))\n"
                case .subheading(let heading): text += "\n### \(inline(heading))\n"
                case .table(let table): text += "\n" + self.table(table)
                case .chart: continue
                }
            }
        }
        text += "\n_n/a: the record has no figure (null). ⚠: coefficient of variation above 10 %._\n"
        return text
    }

    private static func table(_ table: ReportTable) -> String {
        var text = "| " + table.columns.map(cell).joined(separator: " | ") + " |\n|"
        text += table.columns.indices.map { table.numericColumns.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in table.rows {
            text += "| " + row.map { value in
                switch value.mark {
                case .noisy: return cell(value.text) + " ⚠"
                case .missing: return "_\(cell(value.text))_"
                case .alert: return "**\(cell(value.text))**"
                case .none, .good: return cell(value.text)
                }
            }.joined(separator: " | ") + " |\n"
        }
        return text
    }

    /// Text safe inside a table cell.
    private static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text with Markdown's emphasis and markup characters escaped.
    private static func inline(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\`*_<>[]".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

import ReportCharts

/// Writes a report as one self-contained HTML page: inline CSS and SVG only, no script, font,
/// image or style sheet fetched from anywhere, so it reads offline and prints.
public enum HTMLReportWriter {
    /// The page for `document`, read from `sources` (the file names, shown in the header).
    public static func page(_ document: ReportDocument, sources: [String]) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<title>\(escape(document.title))</title>\n<style>\n\(ReportStyle.css)</style>\n</head>\n<body>\n\(ChartPalette.definitions)\n<main>\n"
        html += "<header><h1>\(escape(document.title))</h1>\n"
        html += "<p class=\"sources\">From \(sources.map { "<code>\(escape($0))</code>" }.joined(separator: ", ")): "
        html += "\(document.runs.rows.count) run\(document.runs.rows.count == 1 ? "" : "s").</p>\n"
        if !document.sections.isEmpty {
            html += "<nav><ul>" + document.sections.map { "<li><a href=\"#\($0.id)\">\(escape($0.title))</a></li>" }.joined() + "</ul></nav>\n"
        }
        html += "</header>\n<section id=\"runs\">\n<h2>Runs</h2>\n" + table(document.runs)
        if document.warnings.isEmpty {
            html += "<p class=\"ok\">No warnings.</p>\n"
        } else {
            html += "<details class=\"warnings\" open><summary>\(document.warnings.count) warning\(document.warnings.count == 1 ? "" : "s")</summary>\n<ul>\n"
            html += document.warnings.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n</details>\n"
        }
        html += "</section>\n"
        for section in document.sections {
            html += "<section id=\"\(escape(section.id))\">\n<h2>\(escape(section.title))</h2>\n"
            for block in section.blocks { html += self.block(block) }
            html += "</section>\n"
        }
        html += "<footer>Written by <code>edgeprobe report</code>. n/a: the record has no figure (null), never a zero. "
        html += "<span class=\"cell-noisy\">Shaded amber</span>: coefficient of variation above 10 %.</footer>\n"
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    private static func block(_ block: ReportBlock) -> String {
        switch block {
        case .paragraph(let text): return "<p>\(escape(text))</p>\n"
        case .subheading(let text): return "<h3>\(escape(text))</h3>\n"
        case .table(let table): return self.table(table)
        case .chart(let svg, let caption): return "<figure>\(svg)<figcaption>\(escape(caption))</figcaption></figure>\n"
        }
    }

    private static func table(_ table: ReportTable) -> String {
        var html = "<div class=\"table\"><table>\n<thead><tr>"
        for (index, column) in table.columns.enumerated() {
            html += "<th\(table.numericColumns.contains(index) ? " class=\"num\"" : "")>\(escape(column))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                var classes: [String] = []
                if table.numericColumns.contains(index) { classes.append("num") }
                if cell.text.count > HTMLReportWriter.longText { classes.append("long") }
                if cell.mark != .none { classes.append("cell-" + cell.mark.rawValue) }
                let title = cell.mark == .missing ? " title=\"null in the record: not measured or not available\"" : (cell.mark == .noisy ? " title=\"noisy: cv above 10 %\"" : "")
                html += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")\(title)>\(escape(cell.text))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }

    /// Cells longer than this wrap; shorter ones stay on one line.
    static let longText = 40

    private static func escape(_ text: String) -> String { SVGCanvas.escape(text) }
}

import Foundation
import TestSupport
import Testing
@testable import ResultsReport

/// The page parsed by html5lib in strict mode (Python, installed by `make test`).
@Suite(.timeLimit(.minutes(2))) struct HTMLPageTests {
    private struct Parsed: Decodable { var sections: [String]; var svgs: Int; var fetching: [String]; var duplicate_ids: [String] }

    private func parse(_ html: String) async throws -> (ProcessResult, Parsed?) {
        let page = TemporaryFile(html, suffix: ".html")
        let result = try await ReportFixtures.python("parse_html.py", [page.path])
        return (result, try? JSONDecoder().decode(Parsed.self, from: Data(result.stdout.utf8)))
    }

    @Test func thePageParsesStrictlyAndFetchesNothing() async throws {
        let collection = try ReportFixtures.collection()
        let document = ResultsReport.document(for: collection)
        let html = HTMLReportWriter.page(document, sources: ReportFixtures.files.map(\.lastPathComponent))
        let (result, parsed) = try await parse(html)
        #expect(result.status == 0, "\(result.stderr)")
        let page = try #require(parsed)
        #expect(page.sections == ["runs"] + document.sections.map(\.id))
        let charts = document.sections.flatMap { $0.blocks.filter { if case .chart = $0 { return true }; return false } }
        #expect(page.svgs == charts.count + 1 && page.svgs >= 10, "the charts and the page's pattern definitions")
        #expect(page.duplicate_ids.isEmpty, "\(page.duplicate_ids)")
        #expect(page.fetching.isEmpty, "\(page.fetching)")
        #expect(!html.contains("<script"))
    }

    @Test func theStrictParserRejectsBrokenMarkup() async throws {
        let (result, _) = try await parse("<!DOCTYPE html><html><head><title>t</title></head><body><p><div></span></div></body></html>")
        #expect(result.status == 1 && result.stderr.contains("unexpected-end-tag"), "\(result.stderr)")
    }

    @Test func hostileTextInRecordsIsEscaped() async throws {
        let line = #"{"type":"<script>alert(1)</script>","host":"a&b","run_id":"\"><img src=x>","seq":0}"#
        let outcome = try ResultsReader.read(text: line + "\n", file: "evil.jsonl")
        let html = HTMLReportWriter.page(ResultsReport.document(for: ResultsCollection(records: outcome.records, warnings: [])), sources: ["evil.jsonl"])
        let (result, parsed) = try await parse(html)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(parsed?.fetching == [], "\(parsed?.fetching ?? [])")
    }
}

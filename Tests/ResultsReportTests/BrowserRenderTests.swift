import Foundation
import TestSupport
import Testing
@testable import ResultsReport

/// Headless Chromium (Debian's `chromium`, installed by `make test`) lays the page out at a
/// laptop's 1366×900 and takes a screenshot: the picture must not be blank and the page must
/// not be wider than the screen.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BrowserRenderTests {
    private struct Rendered: Decodable {
        var scroll_width: Int, viewport_width: Int, png_width: Int, png_height: Int
        var ink_share: Double, colours: Int
    }

    private func render(_ html: String) async throws -> Rendered {
        let directory = TemporaryDirectory(prefix: "report-render")
        let page = directory.write(html, to: "page.html")
        let result = try await ReportFixtures.python("render_page.py", [page, directory.file("page.png")])
        try #require(result.status == 0, "render_page.py failed: \(result.stderr)")
        return try JSONDecoder().decode(Rendered.self, from: Data(result.stdout.utf8))
    }

    @Test func theReportRendersAndFitsALaptopScreen() async throws {
        let document = ResultsReport.document(for: try ReportFixtures.collection())
        let rendered = try await render(HTMLReportWriter.page(document, sources: ReportFixtures.files.map(\.lastPathComponent)))
        #expect(rendered.scroll_width <= rendered.viewport_width, "the page is \(rendered.scroll_width) px wide on a \(rendered.viewport_width) px screen")
        #expect(rendered.png_width == 1366 && rendered.png_height > 3000, "the whole page was captured: \(rendered.png_height) px")
        #expect(rendered.ink_share > 0.2 && rendered.colours > 100, "not blank: \(rendered.ink_share) inked, \(rendered.colours) colours")
    }

    @Test func aPageWiderThanTheScreenIsCaught() async throws {
        let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>wide</title></head>"
            + "<body><div style=\"width: 2000px; height: 40px; background: #0072B2\"></div></body></html>"
        let rendered = try await render(html)
        #expect(rendered.scroll_width > 1366)
    }

    @Test func anEmptyPageCountsAsBlank() async throws {
        let rendered = try await render("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>blank</title></head><body></body></html>")
        #expect(rendered.ink_share == 0 && rendered.colours == 1)
    }
}

import Foundation
import TestSupport
import Testing
@testable import ResultsReport

@Suite struct ReportSectionsTests {
    /// The section (or the summary) that shows each record type edgeprobe writes.
    private static let sectionOfType = [
        "run_start": "runs", "run_end": "runs", "bench": "bench", "comparison": "comparison",
        "window": "soak", "soak": "soak", "sample": "sample", "agent_start": "sample", "agent_stop": "sample",
        "agent_reload": "sample", "agent_error": "sample", "agent_postpone": "sample", "agent_output_resumed": "sample",
        "sensors": "sensors", "compression": "compression", "compression_paper": "compression", "latency": "latency", "lut": "lut", "lut_check": "lut",
    ]

    @Test func everyRecordTypeWithASchemaHasAFixtureAndASection() throws {
        let schemas = try FileManager.default.contentsOfDirectory(atPath: Repository.path("Schemas"))
        let types = Set(schemas.filter { $0.hasSuffix(".schema.json") && $0 != "envelope.schema.json" }
            .map { String($0.dropLast(".schema.json".count)) })
        let collection = try ReportFixtures.collection()
        let document = ResultsReport.document(for: collection)
        let sections = Set(document.sections.map(\.id))
        let fixtureTypes = Set(collection.runs.flatMap { $0.records.map(\.type) })
        for type in types.union(["window", "soak"]).sorted() {
            let section = try #require(Self.sectionOfType[type], "record type \(type) has a schema but no section in the report")
            #expect(fixtureTypes.contains(type), "no fixture has a \(type) record")
            #expect(section == "runs" || sections.contains(section), "\(type): no \(section) section")
        }
        #expect(!sections.contains("unknown"), "every fixture record has a section")
    }

    @Test func unknownTypesAreListedWithTheirLine() throws {
        let text = #"{"type":"thermal_camera","host":"pi4","run_id":"z","seq":0,"pixels_hot":12}"# + "\n"
        let outcome = try ResultsReader.read(text: text, file: "new.jsonl")
        let document = ResultsReport.document(for: ResultsCollection(records: outcome.records, warnings: []))
        let unknown = try #require(document.sections.first { $0.id == "unknown" })
        let cells = unknown.blocks.flatMap { block -> [String] in
            if case .table(let table) = block { return table.rows.flatMap { $0.map(\.text) } }
            return []
        }
        #expect(cells.contains("thermal_camera") && cells.contains("new.jsonl:1") && cells.contains(#"{"pixels_hot":12}"#))
    }

    @Test func summaryNamesHostCPUBoardKernelAndVersionOfABenchRun() throws {
        let document = ResultsReport.document(for: try ReportFixtures.collection([ReportFixtures.file("bench.jsonl")]))
        let row = try #require(document.runs.rows.first).map(\.text)
        let start = try #require(try ReportFixtures.collection([ReportFixtures.file("bench.jsonl")]).runs.first?.start)
        let cpu = try #require(start["system"]?["cpu_model"]?.string)
        #expect(row.contains("\(cpu) ×2"), "CPU with its core count")
        #expect(row.contains("generic") && row.contains(start["system"]?["kernel"]?.string ?? "-") && row.contains("0.1.0"))
        #expect(document.warnings.contains { $0.contains("noisy, coefficient of variation") }, "run_end's warnings reach the summary")
    }

    @Test func nullFiguresAreMissingNeverZero() throws {
        // This machine has no temperature sensor: the bench records say so with null.
        let document = ResultsReport.document(for: try ReportFixtures.collection([ReportFixtures.file("bench.jsonl")]))
        let bench = try #require(document.sections.first { $0.id == "bench" })
        guard case .table(let table)? = bench.blocks.first(where: { if case .table = $0 { return true }; return false }) else {
            Issue.record("no bench table"); return
        }
        let hottest = try #require(table.columns.firstIndex(of: "hottest (°C)"))
        #expect(table.rows.allSatisfy { $0[hottest].mark == .missing && $0[hottest].text == "n/a" })
    }

    @Test func noisyLayersAreMarkedInTableAndChart() throws {
        let collection = try ReportFixtures.collection([ReportFixtures.file("bench.jsonl")])
        let noisy = collection.runs[0].records(of: "bench").filter { ($0["latency_us"]?["cv"]?.number ?? 0) > 0.10 }.compactMap { $0["name"]?.string }
        try #require(!noisy.isEmpty, "the fixture has noisy layers")
        let bench = try #require(ResultsReport.document(for: collection).sections.first { $0.id == "bench" })
        for block in bench.blocks {
            switch block {
            case .table(let table) where table.columns.contains("cv"):
                let cv = table.columns.firstIndex(of: "cv")!
                let marked = table.rows.filter { $0[cv].mark == .noisy }.map { $0[0].text }
                #expect(marked == noisy)
            case .chart(let svg, _):
                #expect(svg.components(separatedBy: " · noisy, cv ").count - 1 == noisy.count)
            default: continue
            }
        }
    }

    @Test func twoRunsOfOneHostGiveABeforeAfterTableAndTwoHostsSideBySide() throws {
        let text = try String(contentsOf: ReportFixtures.file("bench.jsonl"), encoding: .utf8)
        let second = text.replacingOccurrences(of: #""run_id":""#, with: #""run_id":"second-"#)
        // The other board ran hot and throttled: the fleet view's legend says so.
        let other = text.replacingOccurrences(of: #""host":"vm""#, with: #""host":"pi5""#)
            .replacingOccurrences(of: #""temp_c_max":null"#, with: #""temp_c_max":71.5"#)
            .replacingOccurrences(of: #""throttled":null"#, with: #""throttled":true"#)
        var records: [ResultRecord] = []
        for (index, part) in [text, second, other].enumerated() {
            records += try ResultsReader.read(text: part, file: "f\(index)").records
        }
        let document = ResultsReport.document(for: ResultsCollection(records: records, warnings: []))
        let bench = try #require(document.sections.first { $0.id == "bench" })
        let headings = bench.blocks.compactMap { block -> String? in if case .subheading(let text) = block { return text }; return nil }
        #expect(headings.count == 1 && headings[0].hasPrefix("Before → after on vm"))
        guard case .chart(let svg, _)? = bench.blocks.first(where: { if case .chart = $0 { return true }; return false }) else {
            Issue.record("no chart"); return
        }
        #expect(svg.contains(">vm ") && svg.contains(" · generic · 1 thread<"), "the legend names both hosts")
        #expect(svg.contains(" · generic · 1 thread · up to 71.5 °C · throttled<"), "and the hot board's thermal state")
        #expect(svg.contains(">pi5 "))
        let beforeAfter = bench.blocks.compactMap { block -> ReportTable? in
            if case .table(let table) = block, table.columns.contains("change") { return table }
            return nil
        }
        let rows = try #require(beforeAfter.first?.rows)
        #expect(rows.count == 10 && rows.allSatisfy { $0[3].text.hasPrefix("+0 %") }, "identical runs change by 0 %")
    }

    @Test func soakShadesThrottledWindowsAndMarksTimeToThrottle() throws {
        let document = ResultsReport.document(for: try ReportFixtures.collection([ReportFixtures.file("soak-fixture.jsonl")]))
        let soak = try #require(document.sections.first { $0.id == "soak" })
        guard case .chart(let svg, _)? = soak.blocks.first(where: { if case .chart = $0 { return true }; return false }) else {
            Issue.record("no chart"); return
        }
        #expect(svg.contains("time to throttle 128 s"))
        // Four throttled windows, shaded in each of the three panels.
        #expect(svg.components(separatedBy: "fill-opacity=\"0.16\"").count - 1 == 4 * 3)
        #expect(soak.blocks.contains { if case .table(let table) = $0 { return table.columns.contains("sustained / burst") }; return false })
    }

    @Test func aSoakOfBothEnginesHasALatencySeriesAndASummaryRowPerEngine() throws {
        let document = ResultsReport.document(for: try ReportFixtures.collection([ReportFixtures.file("soak-both-engines.jsonl")]))
        let soak = try #require(document.sections.first { $0.id == "soak" })
        guard case .chart(let svg, _)? = soak.blocks.first(where: { if case .chart = $0 { return true }; return false }) else {
            Issue.record("no chart"); return
        }
        for series in ["edgeprobe p50", "edgeprobe p99", "xnnpack p50", "xnnpack p99"] { #expect(svg.contains(">\(series)<"), "\(series)") }
        let tables = soak.blocks.compactMap { block -> ReportTable? in if case .table(let table) = block { return table }; return nil }
        let summary = try #require(tables.first { $0.columns.contains("sustained / burst") })
        let engineColumn = try #require(summary.columns.firstIndex(of: "engine"))
        #expect(summary.rows.map { $0[engineColumn].text } == ["edgeprobe", "xnnpack"])
        let windows = try #require(tables.first { $0.columns.contains("edgeprobe / XNNPACK p50") })
        #expect(windows.rows.count == 6, "three windows, a row per engine")
        let ratioColumn = try #require(windows.columns.firstIndex(of: "edgeprobe / XNNPACK p50"))
        #expect(windows.rows.allSatisfy { $0[ratioColumn].text.hasSuffix("×") })
        // The engine columns shift the figures: numbers stay right-aligned by name, text does not.
        let numeric = Set(windows.numericColumns.map { windows.columns[$0] })
        #expect(numeric.isSuperset(of: ["edgeprobe / XNNPACK p50", "inferences", "p50", "energy / inference"]))
        #expect(numeric.isDisjoint(with: ["engine", "from–to (s)", "throttled", "cause"]))
    }

    @Test func reportTableColumnsNamedNumericAreRightAligned() {
        let table = ReportTable(columns: ["layer", "p50", "engine", "ratio"], numericNames: ["p50", "ratio"])
        #expect(table.numericColumns == [1, 3])
    }

    @Test func markdownHasTheSameTablesAndNoCharts() throws {
        let collection = try ReportFixtures.collection()
        let document = ResultsReport.document(for: collection)
        let markdown = MarkdownReportWriter.text(document, sources: ["all.jsonl"])
        #expect(!markdown.contains("<svg"))
        let tables = document.sections.flatMap { $0.blocks.compactMap { block -> ReportTable? in if case .table(let table) = block { return table }; return nil } }
        let separatorRows = markdown.split(separator: "\n").filter { $0.hasPrefix("|") && $0.allSatisfy { "|-: ".contains($0) } }
        #expect(separatorRows.count == tables.count + 1, "one Markdown table per report table, plus the runs")
        for section in document.sections { #expect(markdown.contains("## \(section.title)")) }
    }
}

import Testing
@testable import ResultsReport

@Suite struct ResultsReaderTests {
    private let record = #"{"host":"h","run_id":"r","schema":"edgeprobe/1","seq":0,"ts":"2026-12-05T10:00:00.000Z","type":"sample"}"#

    @Test func truncatedLastLineIsSkippedWithAWarningNamingIt() throws {
        let outcome = try ResultsReader.read(text: record + "\n" + record + "\n" + #"{"host":"h","ty"#, file: "run.jsonl")
        #expect(outcome.records.count == 2)
        #expect(outcome.warnings.map(\.description) == ["run.jsonl:3: truncated last line (incomplete JSON, no newline), skipped"])
    }

    @Test func blankLineAndNonRecordLinesAreSkippedWithWarnings() throws {
        let text = record + "\n\n" + "[1,2]\n" + "not json\n" + record + "\n"
        let outcome = try ResultsReader.read(text: text, file: "x.jsonl")
        #expect(outcome.records.map(\.position.line) == [1, 5])
        #expect(outcome.warnings.map(\.description) == [
            "x.jsonl:2: blank line, skipped",
            #"x.jsonl:3: not an edgeprobe record (no "type"), skipped"#,
            "x.jsonl:4: not JSON, skipped",
        ])
    }

    @Test func unknownTypeIsKeptAsARecord() throws {
        let outcome = try ResultsReader.read(text: #"{"type":"from_the_future","host":"h","run_id":"r","answer":42}"# + "\n", file: "f")
        #expect(outcome.records.first?.type == "from_the_future")
        #expect(outcome.records.first?["answer"]?.number == 42)
        #expect(outcome.warnings.isEmpty)
    }

    @Test(arguments: ["", "\n", "  \n\n"])
    func emptyInputIsAnErrorNamingTheFile(_ text: String) {
        #expect(throws: ResultsReader.Failure(description: "in.jsonl: empty: no records to report")) {
            try ResultsReader.read(text: text, file: "in.jsonl")
        }
    }

    @Test func aFileThatIsNotJSONLinesIsAnErrorNamingItsFirstBadLine() {
        #expect(throws: ResultsReader.Failure(description: "cfg.yaml:1: not edgeprobe JSON lines: no line of the file is a record")) {
            try ResultsReader.read(text: "sampling:\n  interval: 1s\n", file: "cfg.yaml")
        }
        #expect(throws: ResultsReader.Failure(description: "pretty.json:2: not edgeprobe JSON lines: no line of the file is a record")) {
            try ResultsReader.read(text: "\n{\n  \"type\": \"bench\"\n}\n", file: "pretty.json")
        }
    }

    @Test func runsAreGroupedByHostAndRunId() throws {
        let lines = [
            #"{"type":"sample","host":"pi4","run_id":"a","ts":"2026-12-05T10:00:00.000Z"}"#,
            #"{"type":"sample","host":"pi5","run_id":"a","ts":"2026-12-05T10:00:00.000Z"}"#,
            #"{"type":"sample","host":"pi4","run_id":"a","ts":"2026-12-05T10:00:01.000Z"}"#,
            #"{"type":"sample","host":"pi4","run_id":"b","ts":"2026-12-05T11:30:00.000Z"}"#,
            #"{"type":"sample","host":"pi4","run_id":"c0ffee-1","ts":"2026-12-05T11:30:20.000Z"}"#,
        ]
        let outcome = try ResultsReader.read(text: lines.joined(separator: "\n") + "\n", file: "f")
        let collection = ResultsCollection(records: outcome.records, warnings: outcome.warnings)
        #expect(collection.runs.map { "\($0.host)/\($0.runId)/\($0.records.count)" } == ["pi4/a/2", "pi5/a/1", "pi4/b/1", "pi4/c0ffee-1/1"])
        // Two runs starting in the same minute on one host both get the start of their run_id.
        #expect(collection.runs.map(\.label) == ["pi4 12-05 10:00", "pi5 12-05 10:00", "pi4 12-05 11:30 #b", "pi4 12-05 11:30 #c0ffee"])
    }
}

import Reports
import Testing
@testable import Telemetry

@Suite struct SampleEncodingTests {
    @Test func unavailableFiguresAreWrittenAsNull() throws {
        let sample = Sampler(root: Fixture.root("empty")).read()
        let line = try RecordWriter.encode(
            sample, context: RunContext(host: "board", runId: "run"), sequence: 0, timestamp: "t")
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"collect_us":"#))
        for key in [#""busy_pct":null"#, #""total_bytes":null"#, #""rss_bytes":null"#, #""throttled":null"#,
                    #""online_cores":null"#, #""type":"sample""#, #""temperatures":[]"#] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(text.hasSuffix("}\n"))
    }
}

import FoundationEssentials
import Testing
@testable import Reports

@Suite struct RecordWriterTests {
    private struct Probe: Record {
        static let recordType = "probe"
        let latencyUs: Double
        @Nullable var tempC: Double?
    }

    private let context = RunContext(host: "board", runId: "run-1")

    @Test func writesEnvelopeSortedSnakeCaseKeysAndNewline() throws {
        let line = try RecordWriter.encode(
            Probe(latencyUs: 12.5, tempC: 48), context: context, sequence: 7,
            timestamp: "2026-11-23T09:00:00.000Z")
        let text = String(decoding: line, as: UTF8.self)
        #expect(text == #"{"host":"board","latency_us":12.5,"run_id":"run-1","schema":"edgeprobe/1","seq":7,"temp_c":48,"ts":"2026-11-23T09:00:00.000Z","type":"probe"}"# + "\n")
    }

    @Test func unavailableFigureIsNullNotOmitted() throws {
        let line = try RecordWriter.encode(
            Probe(latencyUs: 1, tempC: nil), context: context, sequence: 0, timestamp: "t")
        #expect(String(decoding: line, as: UTF8.self).contains(#""temp_c":null"#))
    }

    @Test func notANumberIsRefusedWithoutConsumingSequence() throws {
        let sink = CollectingSink()
        let writer = RecordWriter(context: context, sink: sink)
        #expect(throws: EncodingError.self) { try writer.write(Probe(latencyUs: .nan, tempC: nil)) }
        try writer.write(Probe(latencyUs: 1, tempC: nil))
        #expect(sink.lines.count == 1)
        #expect(sink.lines[0].contains(#""seq":0"#))
    }

    @Test func timestampIsRFC3339WithMilliseconds() {
        #expect(Timestamp.format(seconds: 0, milliseconds: 5) == "1970-01-01T00:00:00.005Z")
        #expect(Timestamp.format(seconds: 1_795_424_953, milliseconds: 123) == "2026-11-23T09:09:13.123Z")
    }

    @Test func runIdIsARandomVersion4UUID() {
        let first = RunContext.current().runId
        let parts = first.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(first.allSatisfy { "0123456789abcdef-".contains($0) })
        #expect(Array(first)[14] == "4")
        #expect("89ab".contains(Array(first)[19]))
        #expect(RunContext.current().runId != first)
    }
}

import MetricsExposition
import Testing

/// The text format's details: HELP/TYPE lines, escaping, numbers, missing figures, duplicates.
@Suite struct ExpositionTextTests {
    private func text(_ registry: MetricsRegistry) -> String {
        String(decoding: registry.render(), as: UTF8.self)
    }

    @Test func eachFamilyHasHelpAndTypeLinesThenItsSeries() {
        var registry = MetricsRegistry()
        registry.gauge("edgeprobe_a_celsius", "A temperature.", 41.5, labels: [MetricLabel("chip", "c"), MetricLabel("sensor", "s")])
        registry.counter("edgeprobe_b_total", "B events.", 3)
        #expect(text(registry) == """
            # HELP edgeprobe_a_celsius A temperature.
            # TYPE edgeprobe_a_celsius gauge
            edgeprobe_a_celsius{chip="c",sensor="s"} 41.5
            # HELP edgeprobe_b_total B events.
            # TYPE edgeprobe_b_total counter
            edgeprobe_b_total 3

            """)
    }

    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        var registry = MetricsRegistry()
        registry.gauge("edgeprobe_x", "Help with \\ and\na newline.", 1, labels: [MetricLabel("chip", "a\\b\"c\nd")])
        let lines = text(registry).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == #"# HELP edgeprobe_x Help with \\ and\na newline."#)
        #expect(lines[2] == #"edgeprobe_x{chip="a\\b\"c\nd"} 1"#)
    }

    @Test func numbersAreWrittenAsGoParsesThem() {
        #expect(ExpositionText.number(3) == "3")
        #expect(ExpositionText.number(-2) == "-2")
        #expect(ExpositionText.number(0.25) == "0.25")
        #expect(ExpositionText.number(1.5e-7) == "1.5e-07")
        #expect(ExpositionText.number(6_442_450_944) == "6442450944")
        #expect(ExpositionText.number(.nan) == "NaN")
        #expect(ExpositionText.number(.infinity) == "+Inf")
        #expect(ExpositionText.number(-.infinity) == "-Inf")
    }

    @Test func aMissingFigureHasNoSeriesButItsFamilyIsDeclared() {
        var registry = MetricsRegistry()
        registry.gauge("edgeprobe_load1", "Load.", nil)
        #expect(text(registry) == "# HELP edgeprobe_load1 Load.\n# TYPE edgeprobe_load1 gauge\n")
        #expect(registry.value("edgeprobe_load1") == nil)
    }

    @Test func aRepeatedLabelSetKeepsTheFirstValue() {
        var registry = MetricsRegistry()
        registry.gauge("edgeprobe_t_celsius", "T.", 40, labels: [MetricLabel("sensor", "temp1")])
        registry.gauge("edgeprobe_t_celsius", "T.", 50, labels: [MetricLabel("sensor", "temp1")])
        registry.gauge("edgeprobe_t_celsius", "T.", 60, labels: [MetricLabel("sensor", "temp2")])
        #expect(registry.families.count == 1)
        #expect(registry.families[0].series.map(\.value) == [40, 60])
    }
}

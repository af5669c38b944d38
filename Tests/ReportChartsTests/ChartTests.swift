import Testing
@testable import ReportCharts

@Suite struct ChartTests {
    @Test func ratioAxesStartAtZero() {
        let scale = LinearScale(covering: [5.2, 7.9, nil], zeroBased: true, start: 0, end: 100)
        #expect(scale.ticks.first == 0 && scale.position(0) == 0)
        #expect((scale.ticks.last ?? 0) >= 7.9)
        let temperatures = LinearScale(covering: [52, 81], zeroBased: false, start: 0, end: 100)
        #expect((temperatures.ticks.first ?? 0) > 0, "a temperature axis need not start at 0")
    }

    @Test func logAxisCoversDecadesWithPowersOfTen() {
        let scale = LogScale(covering: [1.49, 2074.6], start: 0, end: 300)
        #expect(scale.ticks.first == 1 && scale.ticks.last == 10_000)
        #expect(abs(scale.position(10) - 75) < 1e-9 && abs(scale.position(100) - 150) < 1e-9)
    }

    @Test func aMissingBarIsWrittenMissingNotDrawnAsZero() {
        let chart = BarChart(axisTitle: "GFLOP/s", series: [], categories: [
            BarChart.Category(label: "with", bars: [BarChart.Bar(value: 4)]),
            BarChart.Category(label: "without", bars: [BarChart.Bar(value: nil)]),
        ], description: "test").render()
        #expect(chart.contains("missing (null in the record)"))
        #expect(chart.components(separatedBy: "<rect x=").count - 1 == 1, "one bar drawn, for the figure that exists")
    }

    @Test func aNoisyBarIsHatchedAndLabelled() {
        let chart = BarChart(axisTitle: "µs", series: [], categories: [
            BarChart.Category(label: "layer", bars: [BarChart.Bar(value: 4, noisyCV: 0.37)]),
        ], description: "test").render()
        #expect(chart.contains("fill=\"url(#noisy-hatch-0)\"") && chart.contains("noisy, cv 37 %"))
    }

    @Test func aTimeSeriesBreaksAtMissingReadings() {
        let runs = TimeSeriesChart.unbrokenRuns([(0, 50), (1, 51), (2, nil), (3, 60), (4, 61)])
        #expect(runs.map { $0.map(\.value) } == [[50, 51], [60, 61]])
        let chart = TimeSeriesChart(panels: [
            TimeSeriesChart.Panel(title: "hottest (°C)", series: [TimeSeriesChart.Series(name: "t", points: [(0, nil), (1, nil)])],
                                  missingReason: "no sensor"),
        ], timeTitle: "time (s)", description: "test").render()
        #expect(chart.contains("missing: no sensor") && !chart.contains("<polyline"))
    }

    @Test func longRunsGetMinutesOrHoursOnTheTimeAxis() {
        #expect(TimeUnit.forSpan(240).name == "s")
        #expect(TimeUnit.forSpan(600).name == "min")
        #expect(TimeUnit.forSpan(3 * 86_400).name == "h")
    }

    @Test func svgTextIsEscaped() {
        var canvas = SVGCanvas(width: 10, height: 10, label: "a \"b\"")
        canvas.text("<script>&", x: 0, y: 0)
        let svg = canvas.render()
        #expect(svg.contains("&lt;script&gt;&amp;") && !svg.contains("<script>"))
        #expect(svg.contains("aria-label=\"a &quot;b&quot;\""))
    }
}

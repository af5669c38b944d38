import Algorithms
/// Stacked panels over one time axis (seconds from the start): latency, temperature, frequency,
/// CPU... A missing reading breaks the line (a gap, never a drop to 0); shaded bands mark
/// intervals (throttled windows) and dashed lines mark moments (time to throttle) in every panel.
public struct TimeSeriesChart {
    /// One line.
    public struct Series {
        let name: String
        /// (seconds, value or nil when the record has no figure).
        let points: [(t: Double, value: Double?)]

        /// The line `name` through `points`.
        public init(name: String, points: [(t: Double, value: Double?)]) {
            self.name = name
            self.points = points
        }
    }

    /// One panel: its own value axis.
    public struct Panel {
        /// The value axis title with its unit, e.g. "hottest sensor (°C)".
        let title: String
        let series: [Series]
        /// Whether the axis starts at 0 (utilization, latency); temperatures need not.
        var zeroBased: Bool
        /// How tick values are written.
        var format: (Double) -> String
        /// Why there is no line, when every value is missing.
        var missingReason: String?

        /// A panel titled `title` with `series`.
        public init(title: String, series: [Series], zeroBased: Bool = true,
                    format: @escaping (Double) -> String = { NumberText.significant($0) }, missingReason: String? = nil) {
            (self.title, self.series, self.zeroBased, self.format, self.missingReason) = (title, series, zeroBased, format, missingReason)
        }
    }

    let panels: [Panel]
    /// Shaded intervals (start, end) and what they mean.
    var bands: [(start: Double, end: Double)]
    var bandMeaning: String
    /// Marked moments and their labels.
    var markers: [(t: Double, label: String)]
    /// The time axis title, with its unit.
    var timeTitle: String
    let description: String

    /// Panels over one time axis titled `timeTitle`.
    public init(panels: [Panel], bands: [(start: Double, end: Double)] = [], bandMeaning: String = "throttled",
                markers: [(t: Double, label: String)] = [], timeTitle: String, description: String) {
        (self.panels, self.bands, self.bandMeaning, self.markers) = (panels, bands, bandMeaning, markers)
        (self.timeTitle, self.description) = (timeTitle, description)
    }

    /// The chart as an inline `<svg>` element.
    public func render() -> String {
        let width = 900.0, left = 78.0, right = width - 20, panelGap = 30.0
        let names = uniqueSeriesNames
        let legendNames = names.filter { name in panels.contains { $0.series.count > 1 && $0.series.contains { $0.name == name } } }
        var extras: [(ChartLegend.Swatch, String)] = []
        if !bands.isEmpty { extras.append((.shaded, bandMeaning)) }
        if !markers.isEmpty { extras.append((.dashed, markers.map(\.label).joined(separator: ", "))) }
        let legend = ChartLegend(series: legendNames.map { ($0, ChartPalette.colour(names.firstIndex(of: $0) ?? 0)) }, extras: extras)
        let legendHeight = legend.height(width: width - 20)
        let top = 8 + legendHeight + 24
        let heights = panels.map { panel in panel.series.allSatisfy { $0.points.allSatisfy { $0.value == nil } } ? 44.0 : 120.0 }
        let tops = heights.indices.map { index in top + heights[..<index].reduce(0) { $0 + $1 + panelGap } }
        let axisY = (tops.last ?? top) + (heights.last ?? 0)
        let height = axisY + 40
        let times = panels.flatMap { $0.series.flatMap { $0.points.map(\.t) } } + bands.flatMap { [$0.start, $0.end] } + markers.map(\.t)
        let timeScale = LinearScale(covering: times, zeroBased: true, start: left, end: right, ticks: 8)
        var canvas = SVGCanvas(width: width, height: height, label: description)
        legend.draw(on: &canvas, x: 10, y: 6, width: width - 20)

        for (index, panel) in panels.enumerated() {
            let panelTop = tops[index], panelHeight = heights[index]
            let panelBottom = panelTop + panelHeight
            for band in bands {
                let x0 = timeScale.position(band.start), x1 = timeScale.position(band.end)
                canvas.rect(x: x0, y: panelTop, width: x1 - x0, height: panelHeight, fill: ChartPalette.band, opacity: 0.16)
            }
            let values = panel.series.flatMap { $0.points.map(\.value) }
            let valueScale = LinearScale(covering: values, zeroBased: panel.zeroBased, start: panelBottom, end: panelTop, ticks: 3)
            let missing = values.allSatisfy { $0 == nil }
            if !missing { canvas.horizontalGrid(valueScale, left: left, right: right, labelSize: 10, format: panel.format) }
            canvas.line(x1: left, y1: panelTop, x2: left, y2: panelBottom, stroke: ChartPalette.axis)
            canvas.line(x1: left, y1: panelBottom, x2: right, y2: panelBottom, stroke: ChartPalette.axis)
            canvas.text(panel.title, x: left, y: panelTop - 8, size: 12, weight: "600")
            if missing {
                canvas.text("missing: \(panel.missingReason ?? "no reading in these records")", x: (left + right) / 2,
                            y: (panelTop + panelBottom) / 2, anchor: .middle, size: 12, fill: ChartPalette.muted, italic: true)
            }
            for series in panel.series {
                let colour = ChartPalette.colour(names.firstIndex(of: series.name) ?? 0)
                for run in TimeSeriesChart.unbrokenRuns(series.points) {
                    canvas.polyline(run.map { (timeScale.position($0.t), valueScale.position($0.value)) }, stroke: colour)
                }
            }
            for marker in markers {
                let x = timeScale.position(marker.t)
                canvas.line(x1: x, y1: panelTop, x2: x, y2: panelBottom, stroke: ChartPalette.alert, width: 1.5, dash: "5 3")
            }
        }
        for tick in timeScale.ticks {
            canvas.text(NumberText.significant(tick), x: timeScale.position(tick), y: axisY + 14, anchor: .middle, size: 10, fill: ChartPalette.axis)
        }
        canvas.text(timeTitle, x: (left + right) / 2, y: axisY + 30, anchor: .middle, size: 12, weight: "600")
        return canvas.render()
    }

    /// Series names across panels in first-seen order: one colour per name in every panel.
    private var uniqueSeriesNames: [String] { Array(panels.flatMap(\.series).map(\.name).uniqued()) }

    /// Splits a series where a value is missing, so the gap is drawn as a gap.
    static func unbrokenRuns(_ points: [(t: Double, value: Double?)]) -> [[(t: Double, value: Double)]] {
        var runs: [[(t: Double, value: Double)]] = [], current: [(t: Double, value: Double)] = []
        for point in points {
            if let value = point.value { current.append((point.t, value)) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

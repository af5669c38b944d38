/// Horizontal bars, one group per category (a layer, a pair, a block) and one bar per series (a
/// run or host, or a figure), with optional whiskers. The value axis of bars always starts at 0:
/// bars are read by their length. Figures spanning decades are drawn as dots on a log axis
/// instead (`logScale`), never as bars. A missing figure is written "missing", never drawn as 0;
/// a noisy one (cv above the warning threshold) is hatched (hollow dot) and labelled.
public struct BarChart {
    /// One bar.
    public struct Bar {
        /// The bar's length; `nil` when the record has no figure.
        var value: Double?
        /// Whisker ends, e.g. min and p90.
        var low: Double?, high: Double?
        /// The coefficient of variation when it is above the warning threshold.
        var noisyCV: Double?
        /// Text after the bar (default: the value).
        var note: String?

        /// A bar of `value` (nil: written "missing"), whiskers from `low` to `high`.
        public init(value: Double?, low: Double? = nil, high: Double? = nil, noisyCV: Double? = nil, note: String? = nil) {
            (self.value, self.low, self.high, self.noisyCV, self.note) = (value, low, high, noisyCV, note)
        }
    }

    /// A labelled group of bars, one per series (missing series: `nil`, nothing drawn).
    public struct Category {
        let label: String
        let bars: [Bar?]

        /// The group `label` with `bars`, in series order.
        public init(label: String, bars: [Bar?]) {
            self.label = label
            self.bars = bars
        }
    }

    /// The value axis title, with its unit.
    let axisTitle: String
    /// Series names for the legend (empty: no legend, one colour per bar index).
    let series: [String]
    let categories: [Category]
    /// How bar values are written.
    var format: (Double) -> String
    /// A vertical reference line (e.g. 1× for a speedup) and its label.
    var reference: (value: Double, label: String)?
    /// Dots on a log axis instead of bars on a linear axis from 0.
    var logScale: Bool
    /// A caption for screen readers.
    let description: String

    /// A chart of `categories`; bar values written with `format`.
    public init(axisTitle: String, series: [String], categories: [Category], format: @escaping (Double) -> String = { NumberText.significant($0) },
                reference: (value: Double, label: String)? = nil, logScale: Bool = false, description: String) {
        (self.axisTitle, self.series, self.categories, self.format) = (axisTitle, series, categories, format)
        (self.reference, self.logScale, self.description) = (reference, logScale, description)
    }

    /// The chart as an inline `<svg>` element.
    public func render() -> String {
        let width = 900.0
        let barHeight = 14.0, barGap = 3.0, groupGap = 12.0
        let labelWidth = min(260, max(80, categories.map { SVGCanvas.estimatedWidth($0.label) }.max() ?? 80) + 12)
        let plotLeft = labelWidth, plotRight = width - 150
        let legend = ChartLegend(series: series.count > 1 ? series.enumerated().map { ($0.element, ChartPalette.colour($0.offset)) } : [], extras: hasNoisy ? [logScale ? (.hollow, "hollow: noisy, cv above 10 %") : (.hatched, "hatched: noisy, cv above 10 %")] : [])
        let legendHeight = legend.height(width: width - 20)
        let top = 10 + legendHeight + (legendHeight > 0 ? 6 : 0) + (reference != nil ? 16 : 0)
        let barsPerGroup = Double(max(1, categories.map(\.bars.count).max() ?? 1))
        let groupHeight = barsPerGroup * barHeight + (barsPerGroup - 1) * barGap
        let plotHeight = Double(categories.count) * (groupHeight + groupGap)
        let height = top + plotHeight + 44
        var values: [Double?] = categories.flatMap { $0.bars.flatMap { [$0?.value, $0?.high] } }
        if let reference { values.append(reference.value) }
        if logScale { values += categories.flatMap { $0.bars.map { $0?.low } } }
        let scale: any ValueScale = logScale
            ? LogScale(covering: values, start: plotLeft, end: plotRight)
            : LinearScale(covering: values, zeroBased: true, start: plotLeft, end: plotRight)
        var canvas = SVGCanvas(width: width, height: height, label: description)
        legend.draw(on: &canvas, x: 10, y: 8, width: width - 20)

        let axisY = top + plotHeight
        canvas.verticalGrid(scale, top: top, bottom: axisY, format: format)
        canvas.line(x1: plotLeft, y1: top, x2: plotLeft, y2: axisY, stroke: ChartPalette.axis)
        canvas.line(x1: plotLeft, y1: axisY, x2: plotRight, y2: axisY, stroke: ChartPalette.axis)
        canvas.text(axisTitle, x: (plotLeft + plotRight) / 2, y: axisY + 34, anchor: .middle, size: 12, weight: "600")

        for (row, category) in categories.enumerated() {
            let groupTop = top + groupGap / 2 + Double(row) * (groupHeight + groupGap)
            canvas.text(BarChart.fitting(category.label, width: labelWidth - 12), x: plotLeft - 8, y: groupTop + groupHeight / 2 + 4,
                        anchor: .end, size: 12)
            for (index, bar) in category.bars.enumerated() {
                guard let bar else { continue }
                let y = groupTop + Double(index) * (barHeight + barGap)
                draw(bar, series: index, y: y, height: barHeight, scale: scale, on: &canvas,
                     title: "\(category.label)\(series.count > index ? " — " + series[index] : "")")
            }
        }
        if let reference {
            let x = scale.position(reference.value)
            canvas.line(x1: x, y1: top, x2: x, y2: axisY, stroke: ChartPalette.alert, width: 1.5, dash: "5 3")
            canvas.text(reference.label, x: x, y: top - 5, anchor: .middle, size: 11, fill: ChartPalette.alert)
        }
        return canvas.render()
    }

    /// `label`, cut with an ellipsis when it would not fit in `width` (the table has it whole).
    static func fitting(_ label: String, width: Double) -> String {
        let characters = Int(width / SVGCanvas.estimatedWidth("x"))
        return label.count <= characters ? label : String(label.prefix(max(1, characters - 1))) + "…"
    }

    private var hasNoisy: Bool { categories.contains { $0.bars.contains { $0?.noisyCV != nil } } }

    private func draw(_ bar: Bar, series: Int, y: Double, height: Double, scale: any ValueScale,
                      on canvas: inout SVGCanvas, title: String) {
        let colour = ChartPalette.colour(series)
        guard let value = bar.value else {
            canvas.text("missing (null in the record)", x: scale.position(scale.ticks[0]) + 6, y: y + height - 3, size: 11,
                        fill: ChartPalette.muted, italic: true)
            return
        }
        let x0 = scale.position(scale.ticks[0]), x1 = scale.position(value)
        var note = bar.note ?? format(value)
        if logScale {
            if let cv = bar.noisyCV { note += " · noisy, cv \(NumberText.significant(cv * 100, 2)) %" }
        } else if let cv = bar.noisyCV {
            canvas.rect(x: x0, y: y, width: x1 - x0, height: height, fill: ChartPalette.noisyFill(series), stroke: colour, title: title + ": noisy")
            note += " · noisy, cv \(NumberText.significant(cv * 100, 2)) %"
        } else {
            canvas.rect(x: x0, y: y, width: x1 - x0, height: height, fill: colour, title: title)
        }
        var noteX = x1 + 6
        if let low = bar.low, let high = bar.high {
            let lowX = scale.position(low), highX = scale.position(high), mid = y + height / 2
            canvas.line(x1: lowX, y1: mid, x2: highX, y2: mid, stroke: "#222", width: 1.2)
            canvas.line(x1: lowX, y1: mid - 4, x2: lowX, y2: mid + 4, stroke: "#222", width: 1.2)
            canvas.line(x1: highX, y1: mid - 4, x2: highX, y2: mid + 4, stroke: "#222", width: 1.2)
            noteX = max(noteX, highX + 6)
        }
        if logScale {
            // The dot goes over its whisker, so a hollow (noisy) dot stays hollow.
            canvas.circle(x: x1, y: y + height / 2, radius: 5, fill: bar.noisyCV != nil ? "#fff" : colour, stroke: colour,
                          title: title + (bar.noisyCV != nil ? ": noisy" : ""))
        }
        canvas.text(note, x: noteX, y: y + height - 3, size: 11, fill: bar.noisyCV != nil ? ChartPalette.noisy : "#222")
    }
}

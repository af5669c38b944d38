/// Points on two value axes, both from 0 (predicted against measured, size against agreement).
/// Optionally the diagonal y = x with a ±band around it: a point inside the band was predicted
/// within that share.
public struct ScatterChart {
    /// One point.
    public struct Point {
        /// The point's value on the x axis.
        public let x: Double
        /// The point's value on the y axis.
        public let y: Double
        /// Which series (colour).
        var series: Int
        /// A short label drawn beside the point.
        var label: String?
        /// Hollow when noisy (cv above the warning threshold).
        var noisy: Bool

        /// A point at (`x`, `y`) of series `series`.
        public init(x: Double, y: Double, series: Int = 0, label: String? = nil, noisy: Bool = false) {
            (self.x, self.y, self.series, self.label, self.noisy) = (x, y, series, label, noisy)
        }
    }

    let xTitle: String, yTitle: String
    let points: [Point]
    /// Series names for the legend.
    var series: [String]
    /// Draw y = x with a band of ±this share (0.10 for ±10 %).
    var diagonalBand: Double?
    /// Lower bound of the y axis instead of 0, when the values are read against each other, not as ratios to 0.
    var yFloor: Double?
    var xFormat: (Double) -> String
    var yFormat: (Double) -> String
    let description: String

    /// A chart of `points`, the axes titled with their units.
    public init(xTitle: String, yTitle: String, points: [Point], series: [String] = [], diagonalBand: Double? = nil, yFloor: Double? = nil,
                xFormat: @escaping (Double) -> String = { NumberText.significant($0) },
                yFormat: @escaping (Double) -> String = { NumberText.significant($0) }, description: String) {
        (self.xTitle, self.yTitle, self.points, self.series, self.diagonalBand) = (xTitle, yTitle, points, series, diagonalBand)
        (self.yFloor, self.xFormat, self.yFormat, self.description) = (yFloor, xFormat, yFormat, description)
    }

    /// The chart as an inline `<svg>` element.
    public func render() -> String {
        let width = 900.0, height = 420.0, left = 80.0, right = width - 30
        var extras: [(ChartLegend.Swatch, String)] = []
        if let band = diagonalBand { extras.append((.shaded, "within ±\(NumberText.significant(band * 100, 2)) % of y = x")) }
        if points.contains(where: \.noisy) { extras.append((.hollow, "hollow: noisy, cv above 10 %")) }
        let legend = ChartLegend(series: series.count > 1 ? series.enumerated().map { ($0.element, ChartPalette.colour($0.offset)) } : [], extras: extras)
        let top = 10 + legend.height(width: width - 20) + 8, bottom = height - 50
        var xValues = points.map { Optional($0.x) }, yValues = points.map { Optional($0.y) }
        if diagonalBand != nil { xValues += yValues; yValues = xValues }
        if let yFloor { yValues.append(yFloor) }
        let xScale = LinearScale(covering: xValues, zeroBased: true, start: left, end: right)
        let yScale = LinearScale(covering: yValues, zeroBased: yFloor == nil, start: bottom, end: top)
        var canvas = SVGCanvas(width: width, height: height, label: description)
        legend.draw(on: &canvas, x: 10, y: 6, width: width - 20)
        canvas.verticalGrid(xScale, top: top, bottom: bottom, format: xFormat)
        canvas.horizontalGrid(yScale, left: left, right: right, format: yFormat)
        if let band = diagonalBand {
            let end = min(xScale.ticks.last ?? 1, yScale.ticks.last ?? 1)
            let along: [Double] = stride(from: 0.0, through: end, by: end / 40).map { $0 }
            let upper = along.map { (xScale.position($0), yScale.position(min($0 * (1 + band), yScale.ticks.last ?? $0))) }
            let lower = along.reversed().map { (xScale.position($0), yScale.position($0 * (1 - band))) }
            canvas.polygon(upper + lower, fill: ChartPalette.band, opacity: 0.16)
            canvas.line(x1: xScale.position(0), y1: yScale.position(0), x2: xScale.position(end), y2: yScale.position(end),
                        stroke: ChartPalette.axis, dash: "4 3")
        }
        canvas.line(x1: left, y1: top, x2: left, y2: bottom, stroke: ChartPalette.axis)
        canvas.line(x1: left, y1: bottom, x2: right, y2: bottom, stroke: ChartPalette.axis)
        canvas.text(xTitle, x: (left + right) / 2, y: height - 14, anchor: .middle, size: 12, weight: "600")
        canvas.text(yTitle, x: 18, y: (top + bottom) / 2, anchor: .middle, size: 12, weight: "600", rotate: true)
        for point in points {
            let x = xScale.position(point.x), y = yScale.position(point.y), colour = ChartPalette.colour(point.series)
            let title = (point.label.map { $0 + ": " } ?? "") + "\(xFormat(point.x)), \(yFormat(point.y))"
            canvas.circle(x: x, y: y, radius: 4.5, fill: point.noisy ? "#fff" : colour, stroke: colour, title: title)
            if let label = point.label { canvas.text(label, x: x + 7, y: y - 6, size: 10, fill: "#333") }
        }
        return canvas.render()
    }
}

/// A row of coloured swatches naming the series of a chart, drawn at its top.
struct ChartLegend {
    /// Series names and their colours.
    let series: [(name: String, colour: String)]
    /// Extra keys: a sample of how a marking looks (e.g. hatched = noisy) and its meaning.
    var extras: [(swatch: Swatch, text: String)] = []

    /// How an extra key is drawn.
    enum Swatch { case hatched, hollow, shaded, dashed }

    /// Height the legend takes, wrapping at `width`.
    func height(width: Double) -> Double { Double(lines(width: width).count) * 18 }

    /// Draws the legend from (`x`, `y`), wrapping before `x + width`.
    func draw(on canvas: inout SVGCanvas, x: Double, y: Double, width: Double) {
        for (row, items) in lines(width: width).enumerated() {
            var cursor = x
            let baseline = y + Double(row) * 18 + 12
            for item in items {
                switch item.kind {
                case .series(let colour):
                    canvas.rect(x: cursor, y: baseline - 10, width: 12, height: 10, fill: colour)
                case .extra(.hatched):
                    canvas.rect(x: cursor, y: baseline - 10, width: 12, height: 10, fill: ChartPalette.noisyKeyFill, stroke: "#888")
                case .extra(.hollow):
                    canvas.circle(x: cursor + 6, y: baseline - 5, radius: 4.5, fill: "#fff", stroke: "#888")
                case .extra(.shaded):
                    canvas.rect(x: cursor, y: baseline - 10, width: 12, height: 10, fill: ChartPalette.band, opacity: 0.18)
                case .extra(.dashed):
                    canvas.line(x1: cursor, y1: baseline - 5, x2: cursor + 12, y2: baseline - 5, stroke: ChartPalette.alert, width: 1.5, dash: "4 2")
                }
                canvas.text(item.text, x: cursor + 16, y: baseline, size: 11)
                cursor += item.width
            }
        }
    }

    private enum Kind { case series(String), extra(Swatch) }
    private struct Item { let kind: Kind; let text: String; var width: Double { 30 + SVGCanvas.estimatedWidth(text, size: 11) } }

    private func lines(width: Double) -> [[Item]] {
        let items = series.map { Item(kind: .series($0.colour), text: $0.name) }
            + extras.map { Item(kind: .extra($0.swatch), text: $0.text) }
        var lines: [[Item]] = [], current: [Item] = [], used = 0.0
        for item in items {
            if used + item.width > width, !current.isEmpty { lines.append(current); current = []; used = 0 }
            current.append(item)
            used += item.width
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}

extension SVGCanvas {
    /// A grid line at every tick of `scale` running along the horizontal axis, from `top` to
    /// `bottom`, each labelled with `format` below it.
    mutating func verticalGrid(_ scale: any ValueScale, top: Double, bottom: Double, format: (Double) -> String) {
        for tick in scale.ticks {
            let x = scale.position(tick)
            line(x1: x, y1: top, x2: x, y2: bottom, stroke: ChartPalette.grid)
            text(format(tick), x: x, y: bottom + 15, anchor: .middle, size: 11, fill: ChartPalette.axis)
        }
    }

    /// A grid line at every tick of `scale` running along the vertical axis, from `left` to
    /// `right`, each labelled with `format` left of it in `labelSize` type.
    mutating func horizontalGrid(_ scale: any ValueScale, left: Double, right: Double, labelSize: Double = 11, format: (Double) -> String) {
        for tick in scale.ticks {
            let y = scale.position(tick)
            line(x1: left, y1: y, x2: right, y2: y, stroke: ChartPalette.grid)
            text(format(tick), x: left - 6, y: y + 4, anchor: .end, size: labelSize, fill: ChartPalette.axis)
        }
    }
}

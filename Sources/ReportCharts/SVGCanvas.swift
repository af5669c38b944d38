/// Builds one inline SVG picture as text: shapes and labels in user units, every text escaped.
/// The picture scales to the width of the page (`viewBox`, no fixed pixel width).
public struct SVGCanvas {
    /// The drawing's width and height in user units.
    let width: Double, height: Double
    /// A one-line description for screen readers.
    let label: String
    private var body = ""

    init(width: Double, height: Double, label: String) {
        self.width = width
        self.height = height
        self.label = label
    }

    /// The finished `<svg>` element.
    func render() -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"\(SVGCanvas.escape(label))\">"
            + body + "</svg>"
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil,
                       opacity: Double? = nil, title: String? = nil) {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { attributes += " stroke=\"\(stroke)\"" }
        if let opacity { attributes += " fill-opacity=\"\(n(opacity))\"" }
        element("rect", attributes, title: title)
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dash: String? = nil) {
        var attributes = "x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        if let dash { attributes += " stroke-dasharray=\"\(dash)\"" }
        element("line", attributes)
    }

    /// A polyline through `points`; callers split a series at missing values so gaps stay gaps.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5) {
        guard points.count > 1 else {
            if let point = points.first { circle(x: point.x, y: point.y, radius: 2, fill: stroke) }
            return
        }
        let text = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        element("polyline", "points=\"\(text)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"")
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String? = nil, title: String? = nil) {
        var attributes = "cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\""
        if let stroke { attributes += " stroke=\"\(stroke)\" stroke-width=\"1.5\"" }
        element("circle", attributes, title: title)
    }

    mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double) {
        let text = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
        element("polygon", "points=\"\(text)\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\"")
    }

    /// Where a text's anchor point sits relative to the text.
    enum Anchor: String { case start, middle, end }

    mutating func text(_ content: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12,
                       fill: String = "#222", weight: String? = nil, italic: Bool = false, rotate: Bool = false) {
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if let weight { attributes += " font-weight=\"\(weight)\"" }
        if italic { attributes += " font-style=\"italic\"" }
        if rotate { attributes += " transform=\"rotate(-90 \(n(x)) \(n(y)))\"" }
        body += "<text \(attributes)>\(SVGCanvas.escape(content))</text>"
    }

    private mutating func element(_ name: String, _ attributes: String, title: String? = nil) {
        if let title {
            body += "<\(name) \(attributes)><title>\(SVGCanvas.escape(title))</title></\(name)>"
        } else {
            body += "<\(name) \(attributes)/>"
        }
    }

    /// A coordinate with at most two decimals.
    private func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text safe inside an element or a double-quoted attribute.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// Rough width of `text` at `size` in user units (no font metrics without a browser).
    static func estimatedWidth(_ text: String, size: Double = 12) -> Double { Double(text.count) * size * 0.58 }
}

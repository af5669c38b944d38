/// Colours of the charts: the Okabe–Ito set, told apart with the common colour-vision deficiencies.
public enum ChartPalette {
    private static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"]

    /// The colour of series `index` (runs, hosts, sensors), repeating after eight.
    static func colour(_ index: Int) -> String { colours[index % colours.count] }

    /// The fill of a noisy bar of series `index`: stripes of its colour, so the run stays recognisable.
    static func noisyFill(_ index: Int) -> String { "url(#noisy-hatch-\(index % colours.count))" }

    /// The fill of the legend's "noisy" key: grey stripes.
    static let noisyKeyFill = "url(#noisy-hatch-key)"

    /// The hatch patterns the charts refer to, defined once per page (an id must be unique in a
    /// document, and every inline SVG of the page can refer to it).
    public static var definitions: String {
        func hatch(_ id: String, _ colour: String) -> String {
            "<pattern id=\"\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                + "<rect width=\"6\" height=\"6\" fill=\"#fff\"/><rect width=\"3\" height=\"6\" fill=\"\(colour)\"/></pattern>"
        }
        let patterns = colours.indices.map { hatch("noisy-hatch-\($0)", colours[$0]) }.joined() + hatch("noisy-hatch-key", "#888")
        return "<svg class=\"definitions\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>\(patterns)</defs></svg>"
    }

    /// Axis, grid and label colours.
    static let axis = "#555", grid = "#e4e4e4", muted = "#777", alert = "#C0392B", band = "#D55E00", noisy = "#8A5A00"
}

/// Colours of the charts: the Okabe–Ito set, told apart with the common colour-vision deficiencies.
enum ChartPalette {
    private static let colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999", "#000000"]

    /// The colour of series `index` (runs, hosts, sensors), repeating after eight.
    static func colour(_ index: Int) -> String { colours[index % colours.count] }

    /// Axis, grid and label colours.
    static let axis = "#555", grid = "#e4e4e4", muted = "#777", alert = "#C0392B", band = "#D55E00", noisy = "#8A5A00"
}

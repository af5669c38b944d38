/// The page's style sheet, inline: system fonts only (nothing to fetch), the content at most
/// a laptop screen wide (wide tables scroll inside their box), and a print layout.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f6f6f4; color: #1d1d1d; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 1240px; margin: 0 auto; padding: 16px 24px 40px; }
        header h1 { font-size: 24px; margin: 8px 0 4px; }
        .sources { color: #555; margin: 0 0 8px; overflow-wrap: anywhere; }
        nav ul { list-style: none; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 6px 14px; }
        nav a { color: #0b5394; text-decoration: none; border-bottom: 1px solid #b7cde3; }
        section { background: #fff; border: 1px solid #e2e2df; border-radius: 6px; padding: 8px 18px 14px; margin: 14px 0; }
        h2 { font-size: 19px; margin: 8px 0 10px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        figure { margin: 10px 0 14px; }
        svg.definitions { position: absolute; }
        svg.chart { display: block; width: 100%; height: auto; max-width: 980px; font-family: inherit; }
        figcaption { color: #555; font-size: 12.5px; margin-top: 2px; max-width: 980px; }
        .table { overflow-x: auto; margin: 6px 0 12px; }
        table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
        th, td { padding: 3px 6px; border-bottom: 1px solid #ecece9; text-align: left; vertical-align: top; }
        td { white-space: nowrap; }
        td.long { white-space: normal; min-width: 18em; }
        th { background: #f1f1ee; font-weight: 600; white-space: normal; min-width: 3.5em; vertical-align: bottom; }
        .num { text-align: right; }
        .cell-missing { color: #8a8a8a; font-style: italic; }
        .cell-noisy { background: #fff1cc; }
        .cell-alert { color: #b0281a; font-weight: 600; }
        .cell-good { color: #1e7b34; }
        .warnings { background: #fff8e6; border: 1px solid #f0d48a; border-radius: 4px; padding: 6px 12px; margin: 8px 0; }
        .warnings summary { font-weight: 600; cursor: pointer; }
        .warnings ul { margin: 6px 0; padding-left: 20px; max-height: 13.5em; overflow-y: auto; }
        .ok { color: #1e7b34; }
        footer { color: #666; font-size: 12px; margin-top: 18px; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
        @media print {
          body { background: #fff; font-size: 10pt; }
          main { max-width: none; padding: 0; }
          nav { display: none; }
          section { border: none; padding: 0; margin: 10pt 0; break-inside: auto; }
          figure, tr { break-inside: avoid; }
          h2, h3 { break-after: avoid; }
          .table { overflow: visible; }
          .warnings ul { max-height: none; overflow: visible; }
          table { font-size: 7.5pt; }
          th, td { white-space: normal; }
        }

        """
}

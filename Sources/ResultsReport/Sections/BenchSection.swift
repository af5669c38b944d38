import Algorithms
import ReportCharts
/// `bench`: per-layer median latency with min–p90 whiskers and GFLOP/s, every run side by side
/// (the same layer across boards, a fleet view with each board's thermal state), and a
/// before/after table for two runs of one host.
enum BenchSection: SectionBuilder {
    static let recordTypes = ["bench"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        let layers = orderedLayers(runs)
        var blocks: [ReportBlock] = []
        let hosts = Set(runs.map(\.host))
        let several = runs.count < 2 ? "" : (hosts.count > 1
            ? "\(runs.count) runs on \(hosts.count) hosts, one mark per run in the legend's colours. "
            : "\(runs.count) runs of \(runs[0].host), one mark per run in the legend's colours. ")
        let latencyCategories = categories(layers: layers, runs: runs) { record in
            let latency = LatencyFigures(record["latency_us"])
            return BarChart.Bar(value: latency?.p50, low: latency?.min, high: latency?.p90, noisyCV: latency?.noisyCV,
                                note: latency?.p50.map(NumberText.micros))
        }
        blocks.append(.chart(
            svg: BarChart(axisTitle: "median latency per inference (µs, log scale)", series: runs.map(seriesName),
                          categories: latencyCategories, format: { NumberText.significant($0) }, logScale: true,
                          description: "Median latency per layer with min to p90 whiskers").render(),
            caption: several + "Dot: p50 latency; whisker: min to p90. Log scale, since layers differ by orders of magnitude; hollow dots are noisy (cv above 10 %)."))
        let gflopsCategories = categories(layers: layers, runs: runs) { record in
            BarChart.Bar(value: record["gflops"]?.number, noisyCV: LatencyFigures(record["latency_us"])?.noisyCV)
        }
        blocks.append(.chart(
            svg: BarChart(axisTitle: "throughput (GFLOP/s, FLOPs / p50 latency)", series: runs.map(seriesName),
                          categories: gflopsCategories, description: "GFLOP/s per layer").render(),
            caption: "GFLOP/s at the median latency, from 0. Hatched bars are noisy (cv above 10 %)."))
        blocks.append(.table(table(runs: runs, layers: layers)))
        blocks.append(contentsOf: beforeAfter(runs: runs, layers: layers))
        blocks.append(.paragraph("No roofline: run_start records no measured FMA peak or memory bandwidth for the CPU, so a layer's position against either roof would be a guess."))
        return ReportSection(id: "bench", title: "Layer benchmarks (bench)", blocks: blocks)
    }

    /// A run as a legend names it: which board and in which state it ran — board profile,
    /// threads, the hottest sensor seen and whether anything throttled.
    static func seriesName(_ run: RunGroup) -> String {
        let records = run.records(of: "bench")
        var parts = [run.label]
        if let board = run.start?["board"]?.string { parts.append(board) }
        let threads = Set(records.compactMap { $0["threads"]?.int })
        if threads.count == 1, let count = threads.first { parts.append(count == 1 ? "1 thread" : "\(count) threads") }
        if let hottest = records.compactMap({ $0["telemetry"]?["temp_c_max"]?.number }).max() {
            parts.append("up to \(NumberText.significant(hottest)) °C")
        }
        if records.contains(where: { $0["telemetry"]?["throttled"]?.bool == true }) { parts.append("throttled") }
        return parts.joined(separator: " · ")
    }

    private static func orderedLayers(_ runs: [RunGroup]) -> [String] {
        Array(runs.flatMap { $0.records(of: "bench") }.compactMap { $0["name"]?.string }.uniqued())
    }

    /// One category per layer, one bar per run: `bar` of the run's record of the layer, none
    /// where the run has no record of it.
    private static func categories(layers: [String], runs: [RunGroup], bar: (ResultRecord) -> BarChart.Bar) -> [BarChart.Category] {
        layers.map { layer in BarChart.Category(label: layer, bars: runs.map { run in record(layer, in: run).map(bar) }) }
    }

    private static func record(_ layer: String, in run: RunGroup) -> ResultRecord? {
        run.records.last { $0.type == "bench" && $0["name"]?.string == layer }
    }

    private static func table(runs: [RunGroup], layers: [String]) -> ReportTable {
        var table = ReportTable(
            columns: ["layer", "run", "op", "MACs", "p50", "min", "p90", "p99", "cv", "GFLOP/s", "threads",
                      "hottest (°C)", "lowest freq", "throttled"],
            numeric: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        for layer in layers {
            for run in runs {
                guard let record = record(layer, in: run) else { continue }
                let latency = LatencyFigures(record["latency_us"])
                let telemetry = record["telemetry"]
                let throttled = telemetry?["throttled"]?.bool
                table.rows.append([
                    ReportCell(layer), .run(run), ReportCell(record["op"]?.string ?? "?"),
                    .figure(record["macs"]?.number, NumberText.count),
                    .figure(latency?.p50, NumberText.micros), .figure(latency?.min, NumberText.micros),
                    .figure(latency?.p90, NumberText.micros), .figure(latency?.p99, NumberText.micros),
                    latency?.cvCell ?? ReportCell("n/a", .missing),
                    .figure(record["gflops"]?.number) { NumberText.significant($0) },
                    .figure(record["threads"]?.number, NumberText.plain),
                    .figure(telemetry?["temp_c_max"]?.number) { NumberText.significant($0) },
                    .figure(telemetry?["freq_hz_min"]?.number, NumberText.hertz),
                    throttled.map { ReportCell($0 ? "yes" : "no", $0 ? .alert : .none) } ?? ReportCell("n/a", .missing),
                ])
            }
        }
        return table
    }

    /// For every host with two or more runs: its first run as "before", its last as "after".
    private static func beforeAfter(runs: [RunGroup], layers: [String]) -> [ReportBlock] {
        var blocks: [ReportBlock] = []
        for host in runs.map(\.host).uniqued() {
            let ofHost = runs.filter { $0.host == host }
            guard ofHost.count >= 2, let before = ofHost.first, let after = ofHost.last else { continue }
            var table = ReportTable(columns: ["layer", "before p50", "after p50", "change", "before cv", "after cv"], numeric: [1, 2, 3, 4, 5])
            for layer in layers {
                let old = record(layer, in: before).flatMap { LatencyFigures($0["latency_us"]) }
                let new = record(layer, in: after).flatMap { LatencyFigures($0["latency_us"]) }
                guard old != nil || new != nil else { continue }
                var change = ReportCell("n/a", .missing)
                if let a = old?.p50, let b = new?.p50, a > 0 {
                    let percent = (b - a) / a * 100
                    let noisy = old?.noisyCV != nil || new?.noisyCV != nil
                    change = ReportCell((percent >= 0 ? "+" : "−") + NumberText.significant(abs(percent), 2) + " %" + (noisy ? " (noisy)" : ""),
                                        noisy ? .noisy : (percent > 5 ? .alert : (percent < -5 ? .good : .none)))
                }
                table.rows.append([ReportCell(layer), .figure(old?.p50, NumberText.micros), .figure(new?.p50, NumberText.micros), change,
                                   old?.cvCell ?? ReportCell("n/a", .missing), new?.cvCell ?? ReportCell("n/a", .missing)])
            }
            blocks.append(.subheading("Before → after on \(host): \(before.label) → \(after.label)"))
            blocks.append(.table(table))
        }
        return blocks
    }
}

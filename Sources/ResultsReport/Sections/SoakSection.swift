import ReportCharts

/// `soak` and `window` (a sustained run): latency, the hottest temperature and the frequency
/// over time on one time axis, throttled windows shaded, the time to throttle marked, burst
/// against sustained latency in the summary table. A soak of two engines (`--engine both`) has a
/// latency series and a summary row per engine; its telemetry is one (the engines took turns).
enum SoakSection: SectionBuilder {
    static let recordTypes = ["soak", "window"]

    static func section(runs: [RunGroup]) -> ReportSection? {
        var blocks: [ReportBlock] = []
        let summaries = runs.flatMap { run in run.records(of: "soak").map { (run, $0) } }
        if !summaries.isEmpty { blocks.append(.table(summaryTable(summaries))) }
        for run in runs {
            let windows = run.records(of: "window").sorted { ($0["index"]?.number ?? 0) < ($1["index"]?.number ?? 0) }
            guard !windows.isEmpty else { continue }
            var engines: [String] = []
            for window in windows where !engines.contains(engine(window)) { engines.append(engine(window)) }
            let soak = run.records(of: "soak").first
            if runs.count > 1 { blocks.append(.subheading(run.label)) }
            blocks.append(.chart(svg: chart(windows: windows, engines: engines, soak: soak, run: run),
                                 caption: "One point per window, at its end. Shaded: windows that throttled; dashed: time to throttle. A gap is a window without the reading (null), not a zero."))
            blocks.append(.table(windowTable(windows, showEngine: engines.count > 1)))
        }
        return ReportSection(id: "soak", title: "Sustained run (soak)", blocks: blocks)
    }

    private static func summaryTable(_ summaries: [(RunGroup, ResultRecord)]) -> ReportTable {
        var table = ReportTable(columns: ["run", "workload", "engine", "duration", "windows", "inferences", "burst p50", "sustained p50",
                                          "sustained / burst", "time to throttle", "start → max temp", "heating", "energy / inference",
                                          "MLPerf single-stream"],
                                numericNames: ["duration", "windows", "inferences", "burst p50", "sustained p50", "sustained / burst",
                                               "time to throttle", "heating", "energy / inference"])
        for (run, soak) in summaries {
            let workload = soak["workload"]
            let name = [workload?["kind"]?.string, workload?["name"]?.string, workload?["variant"]?.string].compactMap { $0 }.joined(separator: " ")
            let ratio = soak["sustained_over_burst"]?.number
            let temps: ReportCell = {
                guard let start = soak["start_temp_c"]?.number, let max = soak["max_temp_c"]?.number else { return ReportCell("n/a", .missing) }
                return ReportCell("\(NumberText.significant(start)) → \(NumberText.significant(max)) °C")
            }()
            let mlperf = soak["mlperf_single_stream"]
            let mlperfOK = mlperf?["queries_ok"]?.bool == true && mlperf?["duration_ok"]?.bool == true
            var duration = NumberText.significant(soak["duration_s"]?.number ?? 0) + " s"
            if soak["interrupted"]?.bool == true { duration += " (interrupted" + (soak["signal"]?.string.map { ", \($0)" } ?? "") + ")" }
            table.rows.append([
                .run(run), ReportCell(name.isEmpty ? "?" : name), ReportCell(engine(soak)),
                ReportCell(duration, soak["interrupted"]?.bool == true ? .alert : .none),
                .figure(soak["windows"]?.number, NumberText.plain), .figure(soak["inferences"]?.number, NumberText.count),
                .figure(soak["burst_p50_us"]?.number, NumberText.micros), .figure(soak["sustained_p50_us"]?.number, NumberText.micros),
                ratio.map { ReportCell(NumberText.significant($0) + "×", $0 > 1.1 ? .alert : .none) } ?? ReportCell("n/a", .missing),
                timeToThrottle(soak),
                temps,
                .figure(soak["heating_rate_c_per_min"]?.number) { NumberText.significant($0) + " °C/min" },
                .figure(soak["energy_per_inference_j"]?.number) { NumberText.significant($0 * 1000) + " mJ" },
                mlperf == nil ? ReportCell("n/a", .missing) : ReportCell(mlperfOK ? "valid" : "too short", mlperfOK ? .good : .alert),
            ])
        }
        return table
    }

    /// The time to throttle; "did not throttle" only when the soak could tell (no reason in `unavailable`).
    private static func timeToThrottle(_ soak: ResultRecord) -> ReportCell {
        if let seconds = soak["time_to_throttle_s"]?.number { return ReportCell(NumberText.significant(seconds) + " s", .alert) }
        if soak["unavailable"]?["time_to_throttle_s"] != nil || soak["time_to_throttle_s"] == nil { return ReportCell("n/a", .missing) }
        return ReportCell("did not throttle", .good)
    }

    /// The engine a `window` or `soak` record timed (records from before `--engine` are edgeprobe's).
    private static func engine(_ record: ResultRecord) -> String { record["engine"]?.string ?? "edgeprobe" }

    /// Latency per engine in `engines`; temperature, frequency and power (the same in every
    /// engine's record of a window) from the first engine's windows.
    private static func chart(windows all: [ResultRecord], engines: [String], soak: ResultRecord?, run: RunGroup) -> String {
        let windows = all.filter { engine($0) == engines[0] }
        let unit = TimeUnit.forSpan(windows.compactMap { $0["end_s"]?.number }.max() ?? 0)
        let time = { (window: ResultRecord) in (window["end_s"]?.number ?? 0) / unit.seconds }
        func series(_ name: String, of records: [ResultRecord] = windows, _ value: (ResultRecord) -> Double?) -> TimeSeriesChart.Series {
            TimeSeriesChart.Series(name: name, points: records.map { (time($0), value($0)) })
        }
        let latency = engines.flatMap { name in
            let own = all.filter { engine($0) == name }
            let prefix = engines.count > 1 ? name + " " : ""
            return [series(prefix + "p50", of: own, { LatencyFigures($0["latency_us"])?.p50 }),
                    series(prefix + "p99", of: own, { LatencyFigures($0["latency_us"])?.p99 })]
        }
        var panels = [
            TimeSeriesChart.Panel(title: "latency per inference (µs)", series: latency),
            TimeSeriesChart.Panel(title: "hottest sensor (°C)", series: [series("hottest", { $0["hottest_c"]?.number })], zeroBased: false,
                                  missingReason: windows.lazy.compactMap { $0["unavailable"]?["hottest_c"]?.string }.first),
            TimeSeriesChart.Panel(title: "core frequency (MHz)", series: [
                series("lowest core (min)", { frequencyHz($0).lowest.map { $0 / 1e6 } }),
                series("highest core (max)", { frequencyHz($0).highest.map { $0 / 1e6 } }),
            ], missingReason: windows.lazy.compactMap { $0["unavailable"]?["frequency_hz"]?.string }.first),
        ]
        if windows.contains(where: { $0["power_w"]?.number != nil }) {
            panels.append(TimeSeriesChart.Panel(title: "power (W)", series: [series("power", { $0["power_w"]?.number })]))
        }
        let bands = windows.filter { $0["throttled"]?.bool == true }
            .map { (($0["start_s"]?.number ?? 0) / unit.seconds, ($0["end_s"]?.number ?? 0) / unit.seconds) }
        let markers = soak?["time_to_throttle_s"]?.number.map { [($0 / unit.seconds, "time to throttle \(NumberText.significant($0)) s")] } ?? []
        return TimeSeriesChart(panels: panels, bands: bands, bandMeaning: "throttled window", markers: markers,
                               timeTitle: "time since the start of the soak (\(unit.name))",
                               description: "Soak of \(run.label): latency, temperature and frequency over time").render()
    }

    /// The lowest `min` and the highest `max` of the window's per-CPU frequency ranges, in Hz.
    private static func frequencyHz(_ window: ResultRecord) -> (lowest: Double?, highest: Double?) {
        let ranges = window["frequency_hz"]?.object.values.map { ($0["min"]?.number, $0["max"]?.number) } ?? []
        return (ranges.compactMap(\.0).min(), ranges.compactMap(\.1).max())
    }

    /// A row per window record; with two engines, an engine column and their p50 ratio.
    private static func windowTable(_ windows: [ResultRecord], showEngine: Bool) -> ReportTable {
        let engineColumns = showEngine ? ["engine", "edgeprobe / XNNPACK p50"] : []
        let figures = ["inferences", "p50", "p99", "cv", "CPU busy", "hottest (°C)", "lowest freq", "throttled", "cause", "power",
                       "energy / inference"]
        let numeric: Set<String> = ["window", "edgeprobe / XNNPACK p50", "inferences", "p50", "p99", "cv", "CPU busy",
                                    "hottest (°C)", "lowest freq", "power", "energy / inference"]
        let columns = ["window", "from–to (s)"] + engineColumns + figures
        var table = ReportTable(columns: columns, numericNames: numeric.intersection(columns))
        for window in windows {
            let latency = LatencyFigures(window["latency_us"])
            let throttled = window["throttled"]?.bool
            let causes = window["throttle_cause"]?.array.compactMap(\.string) ?? []
            let place: [ReportCell] = [
                .figure(window["index"]?.number, NumberText.plain),
                ReportCell("\(NumberText.significant(window["start_s"]?.number ?? 0))–\(NumberText.significant(window["end_s"]?.number ?? 0))"),
            ]
            let engineCells: [ReportCell] = showEngine
                ? [ReportCell(engine(window)), .figure(window["p50_ratio_edgeprobe_to_xnnpack"]?.number) { NumberText.significant($0) + "×" }]
                : []
            table.rows.append(place + engineCells + [
                .figure(window["inferences"]?.number, NumberText.count),
                .figure(latency?.p50, NumberText.micros), .figure(latency?.p99, NumberText.micros),
                latency?.cvCell ?? ReportCell("n/a", .missing),
                .figure(window["cpu_busy_pct"]?.number) { NumberText.significant($0) + " %" },
                .figure(window["hottest_c"]?.number) { NumberText.significant($0) },
                .figure(frequencyHz(window).lowest, NumberText.hertz),
                throttled.map { ReportCell($0 ? "yes" : "no", $0 ? .alert : .none) } ?? ReportCell("n/a", .missing),
                ReportCell(causes.joined(separator: ", ")),
                .figure(window["power_w"]?.number) { NumberText.significant($0) + " W" },
                .figure(window["energy_per_inference_j"]?.number) { NumberText.significant($0 * 1000) + " mJ" },
            ])
        }
        return table
    }
}

import Algorithms
import ReportCharts
import Reports
/// `sample` records (from `edgeprobe sample` or the agent) over time: CPU, memory, every
/// temperature sensor and every core's frequency, throttled samples shaded; and the agent's own
/// records (start, stop, reload, postpone, errors) as a table of events.
enum SampleSection: SectionBuilder {
    static let agentTypes = ["agent_start", "agent_stop", "agent_reload", "agent_error", "agent_postpone", "agent_output_resumed"]
    static let recordTypes = ["sample"] + agentTypes

    /// The most points a line gets; longer series are averaged in buckets (and the caption says so).
    static let maximumPoints = 1200

    static func section(runs: [RunGroup]) -> ReportSection? {
        var blocks: [ReportBlock] = []
        for run in runs {
            let samples = run.records(of: "sample")
            let events = run.records.filter { agentTypes.contains($0.type) }
            if runs.count > 1 { blocks.append(.subheading("\(run.label) (\(run.kind))")) }
            if let chart = chart(samples: samples, run: run) { blocks.append(chart) }
            if !samples.isEmpty { blocks.append(.table(summaryTable(samples))) }
            if !events.isEmpty { blocks.append(.table(eventTable(events))) }
        }
        return ReportSection(id: "sample", title: "Telemetry over time (sample, agent)", blocks: blocks)
    }

    private static func chart(samples: [ResultRecord], run: RunGroup) -> ReportBlock? {
        guard let origin = samples.first?.ts.flatMap(Timestamp.seconds) else { return nil }
        let elapsed = samples.map { ($0.ts.flatMap(Timestamp.seconds) ?? origin) - origin }
        let unit = TimeUnit.forSpan(elapsed.last ?? 0)
        let times = elapsed.map { $0 / unit.seconds }
        let bucket = max(1, (samples.count + maximumPoints - 1) / maximumPoints)
        func series(_ name: String, _ value: (ResultRecord) -> Double?) -> TimeSeriesChart.Series {
            var points: [(t: Double, value: Double?)] = []
            for start in stride(from: 0, to: samples.count, by: bucket) {
                let range = start..<min(samples.count, start + bucket)
                let values = range.compactMap { value(samples[$0]) }
                points.append((times[range.last!], values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)))
            }
            return TimeSeriesChart.Series(name: name, points: points)
        }
        let sensors = Array(samples.flatMap { $0["temperatures"]?.array ?? [] }.map(sensorName).uniqued())
        let cpus = Array(samples.flatMap { $0["cpufreq"]?.array ?? [] }.compactMap { $0["cpu"]?.int }.uniqued())
        let unavailable = samples.last?["unavailable"]
        let panels = [
            TimeSeriesChart.Panel(title: "CPU busy, whole machine (%)", series: [series("CPU busy", { $0["cpu"]?["busy_pct"]?.number })],
                                  missingReason: unavailable?["cpu.utilization"]?.string),
            TimeSeriesChart.Panel(title: "memory used (MiB)", series: [series("memory used", { $0["memory"]?["used_bytes"]?.number.map { $0 / 1_048_576 } })]),
            TimeSeriesChart.Panel(
                title: "temperatures (°C)",
                series: sensors.isEmpty ? [series("temperature", { _ in nil })] : sensors.map { name in
                    series(name, { sample in sample["temperatures"]?.array.first { sensorName($0) == name }?["input_c"]?.number })
                },
                zeroBased: false, missingReason: unavailable?["temperatures"]?.string),
            TimeSeriesChart.Panel(
                title: "core frequency (MHz)",
                series: cpus.isEmpty ? [series("frequency", { _ in nil })] : cpus.sorted().map { cpu in
                    series("cpu\(cpu)", { sample in sample["cpufreq"]?.array.first { $0["cpu"]?.int == cpu }?["cur_hz"]?.number.map { $0 / 1e6 } })
                },
                missingReason: unavailable?["cpufreq"]?.string),
        ]
        var bands: [(start: Double, end: Double)] = []
        for index in samples.indices where samples[index]["throttle"]?["throttled"]?.bool == true {
            bands.append((index > 0 ? times[index - 1] : times[index], times[index]))
        }
        let svg = TimeSeriesChart(panels: panels, bands: bands, bandMeaning: "throttled", timeTitle: "time since the first sample (\(unit.name))",
                                  description: "Telemetry of \(run.label) over time").render()
        var caption = "\(samples.count) samples. A gap or “missing” is a reading the board could not give (null), never a zero."
        if bucket > 1 { caption += " Each point is the mean of \(bucket) samples." }
        return .chart(svg: svg, caption: caption)
    }

    private static func sensorName(_ temperature: JSONLineValue) -> String {
        let chip = temperature["chip"]?.string ?? "?", label = temperature["label"]?.string ?? ""
        return label.isEmpty ? chip : "\(chip) \(label)"
    }

    private static func summaryTable(_ samples: [ResultRecord]) -> ReportTable {
        func stats(_ value: (ResultRecord) -> Double?) -> (Double, Double, Double)? {
            let values = samples.compactMap(value)
            guard let low = values.min(), let high = values.max() else { return nil }
            return (low, values.reduce(0, +) / Double(values.count), high)
        }
        var table = ReportTable(columns: ["figure", "min", "mean", "max", "samples with it"], numeric: [1, 2, 3, 4])
        let figures: [(String, (ResultRecord) -> Double?, (Double) -> String)] = [
            ("CPU busy (%)", { $0["cpu"]?["busy_pct"]?.number }, { NumberText.significant($0) }),
            ("load (1 min)", { $0["cpu"]?["load1"]?.number }, { NumberText.significant($0) }),
            ("memory used", { $0["memory"]?["used_bytes"]?.number }, NumberText.bytes),
            ("hottest sensor (°C)", { $0["temperatures"]?.array.compactMap { $0["input_c"]?.number }.max() }, { NumberText.significant($0) }),
            ("lowest core frequency", { $0["cpufreq"]?.array.compactMap { $0["cur_hz"]?.number }.min() }, NumberText.hertz),
            ("sampler's own RSS", { $0["process"]?["rss_bytes"]?.number }, NumberText.bytes),
            ("time to collect one sample (µs)", { $0["collect_us"]?.number }, { NumberText.significant($0) }),
        ]
        for (name, value, format) in figures {
            let count = samples.filter { value($0) != nil }.count
            if let (low, mean, high) = stats(value) {
                table.rows.append([ReportCell(name), ReportCell(format(low)), ReportCell(format(mean)), ReportCell(format(high)), ReportCell("\(count) of \(samples.count)")])
            } else {
                table.rows.append([ReportCell(name), ReportCell("n/a", .missing), ReportCell("n/a", .missing), ReportCell("n/a", .missing), ReportCell("0 of \(samples.count)", .missing)])
            }
        }
        let throttled = samples.filter { $0["throttle"]?["throttled"]?.bool == true }.count
        let known = samples.filter { $0["throttle"]?["throttled"]?.bool != nil }.count
        table.rows.append([ReportCell("throttled"), ReportCell(""), ReportCell(""), ReportCell(""),
                           known == 0 ? ReportCell("unknown (no indicator)", .missing) : ReportCell("\(throttled) of \(known)", throttled > 0 ? .alert : .good)])
        return table
    }

    private static func eventTable(_ events: [ResultRecord]) -> ReportTable {
        var table = ReportTable(columns: ["time (UTC)", "event", "details"])
        for event in events {
            var details: [String] = []
            for (key, value) in event.fields.object.sorted(by: { $0.key < $1.key })
            where !["schema", "type", "ts", "host", "run_id", "seq", "config", "unavailable"].contains(key) {
                details.append("\(key): \(value.string ?? value.compactText)")
            }
            let alert = event.type == "agent_error" || event.type == "agent_postpone"
            table.rows.append([ReportCell(event.ts.map(RunSummary.readable) ?? "n/a"), ReportCell(event.type, alert ? .alert : .none),
                               ReportCell(details.joined(separator: "; "))])
        }
        return table
    }
}

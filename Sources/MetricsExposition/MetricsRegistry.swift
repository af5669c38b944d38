/// The series of one exposition, gathered family by family and written in Prometheus' text
/// exposition format 0.0.4 (`ExpositionText`).
///
/// It is built afresh from a snapshot of what the agent knows (`MetricsSnapshot`) whenever the
/// exposition is needed, rather than kept as live instruments: a sensor that disappears simply
/// stops being listed, and counters are the agent's own totals. (swift-prometheus, on the offline
/// package list, keeps live instruments whose counters only increment and fails hard on a
/// repeated name with other help; the agent's figures are read, not counted as they happen.)
public struct MetricsRegistry: Sendable, Equatable {
    /// The families in the order they were first added.
    public private(set) var families: [MetricFamily] = []
    private var indexByName: [String: Int] = [:]

    /// An empty registry.
    public init() {}

    /// Adds a gauge series; a `nil` value (a figure the board does not give) adds nothing, not a fake 0.
    public mutating func gauge(_ name: String, _ help: String, _ value: Double?, labels: [MetricLabel] = []) {
        add(name, help, .gauge, value, labels)
    }

    /// Adds a counter series; `name` must end in `_total`.
    public mutating func counter(_ name: String, _ help: String, _ value: Double?, labels: [MetricLabel] = []) {
        precondition(name.hasSuffix("_total"), "counter \(name) must end in _total")
        add(name, help, .counter, value, labels)
    }

    /// Declares a family without adding a series, so its `# HELP` and `# TYPE` lines are
    /// written even while it has none (no suite has run yet).
    public mutating func declare(_ name: String, _ help: String, _ kind: MetricFamily.Kind) {
        _ = familyIndex(name, help, kind)
    }

    /// The value of the series of `name` with exactly `labels`, if there is one.
    public func value(_ name: String, labels: [MetricLabel] = []) -> Double? {
        guard let index = indexByName[name] else { return nil }
        return families[index].series.first { $0.labels == labels }?.value
    }

    /// The exposition text.
    public func render() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(families.count * 160)
        for family in families {
            ExpositionText.append(family, to: &output)
        }
        return output
    }

    private mutating func add(_ name: String, _ help: String, _ kind: MetricFamily.Kind, _ value: Double?, _ labels: [MetricLabel]) {
        let index = familyIndex(name, help, kind)
        guard let value else { return }
        // Two sensors of one chip with the same label would be the same series: the first wins.
        guard !families[index].series.contains(where: { $0.labels == labels }) else { return }
        families[index].series.append(MetricSeries(labels: labels, value: value))
    }

    private mutating func familyIndex(_ name: String, _ help: String, _ kind: MetricFamily.Kind) -> Int {
        if let index = indexByName[name] {
            precondition(families[index].kind == kind, "\(name) added as both \(families[index].kind) and \(kind)")
            return index
        }
        families.append(MetricFamily(name: name, help: help, kind: kind))
        indexByName[name] = families.count - 1
        return families.count - 1
    }
}

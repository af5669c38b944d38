/// One metric of the exposition: its name, help text, type and every series (label set) it has.
///
/// Names follow Prometheus' conventions: the `edgeprobe_` prefix, base units in the name
/// (`_seconds`, `_bytes`, `_celsius`, `_hertz`, `_ratio`) and `_total` for counters.
public struct MetricFamily: Sendable, Equatable {
    /// The `# TYPE` of a family (text format 0.0.4).
    public enum Kind: String, Sendable, Equatable {
        /// A value that goes up and down.
        case gauge
        /// A count that only goes up (restarting from 0 with the process); the name ends in `_total`.
        case counter
    }

    /// The metric name, e.g. `edgeprobe_temperature_celsius`.
    public let name: String
    /// What the metric means, one line.
    public let help: String
    /// Gauge or counter.
    public let kind: Kind
    /// The series, in the order they were added; no two with the same labels.
    public internal(set) var series: [MetricSeries] = []

    /// An empty family.
    public init(name: String, help: String, kind: Kind) {
        self.name = name
        self.help = help
        self.kind = kind
    }
}

/// One series of a family: its labels and current value.
public struct MetricSeries: Sendable, Equatable {
    /// Label names and values, in the order written (names are fixed by the code, values come from the board).
    public let labels: [MetricLabel]
    /// The value.
    public let value: Double

    /// A series as given.
    public init(labels: [MetricLabel], value: Double) {
        self.labels = labels
        self.value = value
    }
}

/// One label of a series, `name="value"`.
public struct MetricLabel: Sendable, Equatable {
    /// The label's name (`chip`, `sensor`, `cpu`, `suite`, `layer`, `pair`, ...).
    public let name: String
    /// Its value, escaped when written.
    public let value: String

    /// A label as given.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

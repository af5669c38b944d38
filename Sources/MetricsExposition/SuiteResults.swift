import Reports

/// The last result of every scheduled suite, learned from the JSON lines its `edgeprobe bench`
/// child writes (the agent passes each line to its outputs and then here, with the suite as the
/// schedule names it): each `bench` record gives a layer's latency percentiles and GFLOP/s, each
/// `comparison` a pair's measured speedup and theoretical ratio, and a `run_end` that was not
/// interrupted marks the suite's last successful run.
///
/// Lines that are not such records (or not JSON) are ignored: JSON lines stay the complete
/// record, this is only the live view.
public struct SuiteResults: Sendable, Equatable {
    /// One layer's last measurement.
    public struct Layer: Sendable, Equatable {
        /// Median latency, seconds.
        public var p50S: Double
        /// 90th percentile latency, seconds.
        public var p90S: Double
        /// Throughput, GFLOP/s.
        public var gflops: Double
        /// When the `bench` record was written, seconds since the epoch.
        public var timestampS: Double
    }

    /// One pair's last comparison.
    public struct Pair: Sendable, Equatable {
        /// Measured speedup rate (baseline p50 / candidate p50).
        public var speedupRate: Double
        /// Theoretical ratio (baseline MACs / candidate MACs).
        public var theoreticalRatio: Double
        /// When the `comparison` record was written, seconds since the epoch.
        public var timestampS: Double
    }

    /// A suite's layer or pair: the suite's name and the layer's or pair's.
    public struct Key: Sendable, Hashable, Comparable {
        /// The suite as the schedule names it (`schedule[].suite`).
        public var suite: String
        /// The layer's or pair's name.
        public var name: String

        /// A key as given.
        public init(suite: String, name: String) {
            self.suite = suite
            self.name = name
        }

        public static func < (left: Key, right: Key) -> Bool {
            (left.suite, left.name) < (right.suite, right.name)
        }
    }

    /// Last result per layer.
    public private(set) var layers: [Key: Layer] = [:]
    /// Last comparison per pair.
    public private(set) var pairs: [Key: Pair] = [:]
    /// Per suite, when its last run that was not interrupted ended, seconds since the epoch.
    public private(set) var lastSuccessS: [String: Double] = [:]

    /// No results yet.
    public init() {}

    /// Reads one line of `suite`'s output.
    public mutating func observe(line: some Collection<UInt8>, suite: String) {
        guard let record = JSONLineValue(line: line) else { return }
        observe(record: record, suite: suite)
    }

    /// Takes one record of `suite`'s output, already read.
    public mutating func observe(record: JSONLineValue, suite: String) {
        guard let type = record["type"]?.string else { return }
        let timestamp = record["ts"]?.string.flatMap(RecordTimestamp.epochSeconds)
        switch type {
        case "bench":
            guard let name = record["name"]?.string, let timestamp,
                  let p50 = record["latency_us"]?["p50"]?.number, let p90 = record["latency_us"]?["p90"]?.number,
                  let gflops = record["gflops"]?.number else { return }
            layers[Key(suite: suite, name: name)] = Layer(p50S: p50 / 1e6, p90S: p90 / 1e6, gflops: gflops, timestampS: timestamp)
        case "comparison":
            guard let name = record["name"]?.string, let timestamp,
                  let speedup = record["speedup_rate"]?.number, let ratio = record["theoretical_ratio"]?.number else { return }
            pairs[Key(suite: suite, name: name)] = Pair(speedupRate: speedup, theoreticalRatio: ratio, timestampS: timestamp)
        case "run_end":
            if record["interrupted"]?.bool == false, let timestamp {
                lastSuccessS[suite] = timestamp
            }
        default:
            break
        }
    }
}

import Reports

/// The last result of every scheduled suite and soak, learned from the JSON lines its
/// `edgeprobe bench` or `edgeprobe soak` child writes (the agent passes each line to its outputs
/// and then here, with the suite as the schedule names it, for a soak entry its architecture):
/// each `bench` record gives a layer's latency percentiles and GFLOP/s, each `comparison` a pair's
/// measured speedup and theoretical ratio, each `soak` record that was not interrupted the soak's
/// burst and sustained figures, and a `run_end` that was not interrupted marks the last
/// successful run.
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

    /// One soak's summary (its `soak` record): what a board does after minutes of load. A figure
    /// the record leaves `null` is `nil` here and has no series.
    public struct Soak: Sendable, Equatable {
        /// p50 latency of the first window (the board fresh and cool), seconds.
        public var burstP50S: Double?
        /// Median of the window p50s over the last third of the windows, seconds.
        public var sustainedP50S: Double?
        /// `sustained_over_burst`: above 1, the board slowed down under sustained load.
        public var sustainedOverBurst: Double?
        /// p90 latency over every inference of the soak, seconds.
        public var p90S: Double?
        /// Start of the first throttled window, seconds into the soak.
        public var timeToThrottleS: Double?
        /// 1 when a window was throttled, 0 when windows had a throttle indicator and none was,
        /// `nil` when the board has no indicator.
        public var throttled: Double?
        /// Hottest sensor just before the first window, and over the whole soak, °C.
        public var startTempC: Double?, maxTempC: Double?
        /// Heating rate over the first minutes, °C per second (the record's per-minute figure ÷ 60).
        public var heatingRateCPerS: Double?
        /// Board energy per inference, joules.
        public var energyPerInferenceJ: Double?
        /// Inferences in the soak's windows.
        public var inferences: Double
        /// When the `soak` record was written, seconds since the epoch.
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
    /// Last complete soak per schedule entry (its architecture, as the schedule names it).
    public private(set) var soaks: [String: Soak] = [:]
    /// The soak entries any window of whose soak being read had a throttle indicator.
    private var soaksWithThrottleIndicator: Set<String> = []
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
        case "run_start":
            soaksWithThrottleIndicator.remove(suite)
        case "window":
            if record["throttled"]?.bool != nil { soaksWithThrottleIndicator.insert(suite) }
        case "soak":
            defer { soaksWithThrottleIndicator.remove(suite) }
            // An interrupted soak's sustained figures cover a shorter run than asked: not its result.
            guard record["interrupted"]?.bool == false, let timestamp, let inferences = record["inferences"]?.number else { return }
            let timeToThrottle = record["time_to_throttle_s"]?.number
            soaks[suite] = Soak(
                burstP50S: record["burst_p50_us"]?.number.map { $0 / 1e6 },
                sustainedP50S: record["sustained_p50_us"]?.number.map { $0 / 1e6 },
                sustainedOverBurst: record["sustained_over_burst"]?.number,
                p90S: record["p90_us"]?.number.map { $0 / 1e6 },
                timeToThrottleS: timeToThrottle,
                throttled: timeToThrottle != nil ? 1 : soaksWithThrottleIndicator.contains(suite) ? 0 : nil,
                startTempC: record["start_temp_c"]?.number, maxTempC: record["max_temp_c"]?.number,
                heatingRateCPerS: record["heating_rate_c_per_min"]?.number.map { $0 / 60 },
                energyPerInferenceJ: record["energy_per_inference_j"]?.number,
                inferences: inferences, timestampS: timestamp)
        case "run_end":
            if record["interrupted"]?.bool == false, let timestamp {
                lastSuccessS[suite] = timestamp
            }
        default:
            break
        }
    }
}

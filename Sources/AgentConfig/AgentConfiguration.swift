/// Everything `edgeprobe agent --config PATH` reads from its YAML file.
///
/// Loading validates the whole file first: on any problem nothing runs, and the error names the
/// key. See `Deploy/agent.example.yaml` for a documented example.
public struct AgentConfiguration: Sendable, Equatable {
    /// The file the configuration was read from.
    public var path: String
    /// Time between two samples, in seconds.
    public var samplingIntervalS: Double
    /// The board profile: a name in `Profiles/boards` or a path.
    public var board: String
    /// Where records go.
    public var outputs: Outputs
    /// Benchmark suites run on a schedule when the board is idle and cool.
    public var schedule: [ScheduledSuite]
    /// The HTTP latency service hosted by the agent, `nil` (the default) when off.
    public var latencyService: LatencyServiceEntry?
    /// The Prometheus endpoint and/or textfile, `nil` (the default) when off.
    public var metrics: MetricsEntry?

    /// Where records go: standard output (journald under systemd) and/or a rotating file.
    public struct Outputs: Sendable, Equatable {
        /// Write records to standard output.
        public var standardOutput: Bool
        /// Also append records to a size-rotated file.
        public var file: FileOutput?

        /// Outputs as given.
        public init(standardOutput: Bool, file: FileOutput?) {
            self.standardOutput = standardOutput
            self.file = file
        }
    }

    /// A JSON-lines file rotated by size.
    public struct FileOutput: Sendable, Equatable {
        /// The file records are appended to.
        public var path: String
        /// Size at which the file is rotated, in bytes.
        public var maxBytes: Int
        /// Rotated files kept (`path.1` ... `path.N`).
        public var keep: Int

        /// A file output as given.
        public init(path: String, maxBytes: Int, keep: Int) {
            self.path = path
            self.maxBytes = maxBytes
            self.keep = keep
        }
    }

    /// A soak the schedule runs instead of a suite: one network for `durationS` in windows.
    public struct ScheduledSoak: Sendable, Equatable {
        /// Total time of the windows, seconds.
        public var durationS: Double
        /// Length of one window, seconds.
        public var windowS: Double

        /// A soak as given.
        public init(durationS: Double, windowS: Double) {
            self.durationS = durationS
            self.windowS = windowS
        }
    }

    /// One suite (or soak) run every `everyS` seconds, postponed while the board is busy or hot.
    public struct ScheduledSuite: Sendable, Equatable {
        /// Suite name in `Profiles/suites`, or a path to a suite file; for a soak, the
        /// architecture name in `Profiles/archs` or a path.
        public var suite: String
        /// Set for a `soak:` entry: the entry runs `edgeprobe soak --arch suite` instead of a suite.
        public var soak: ScheduledSoak?
        /// Time between two runs, in seconds.
        public var everyS: Double
        /// Run only while whole-machine CPU utilization is at most this, percent.
        public var maxCpuBusyPct: Double
        /// Run only while the hottest sensor is at most this, degrees Celsius.
        public var maxTempC: Double
        /// After a postponement, check again after this many seconds.
        public var retryAfterS: Double
        /// Least timed duration per layer, in seconds.
        public var minTimeS: Double
        /// Untimed warm-up iterations per layer.
        public var warmup: Int
        /// Fewest timed iterations per layer.
        public var minIterations: Int

        /// A scheduled suite as given.
        public init(
            suite: String, everyS: Double, maxCpuBusyPct: Double, maxTempC: Double, retryAfterS: Double,
            minTimeS: Double, warmup: Int, minIterations: Int, soak: ScheduledSoak? = nil
        ) {
            self.suite = suite
            self.soak = soak
            self.everyS = everyS
            self.maxCpuBusyPct = maxCpuBusyPct
            self.maxTempC = maxTempC
            self.retryAfterS = retryAfterS
            self.minTimeS = minTimeS
            self.warmup = warmup
            self.minIterations = minIterations
        }
    }

    /// A configuration as given.
    public init(
        path: String, samplingIntervalS: Double, board: String, outputs: Outputs, schedule: [ScheduledSuite],
        latencyService: LatencyServiceEntry? = nil, metrics: MetricsEntry? = nil
    ) {
        self.path = path
        self.samplingIntervalS = samplingIntervalS
        self.board = board
        self.outputs = outputs
        self.schedule = schedule
        self.latencyService = latencyService
        self.metrics = metrics
    }
}

// MARK: - Loading

extension AgentConfiguration {
    /// Reads and validates the file at `path`.
    /// - Throws: `ConfigError` naming the file, the key and the problem.
    public static func load(path: String) throws(ConfigError) -> AgentConfiguration {
        try parse(yaml: try ConfigFile.read(path), path: path)
    }

    /// Validates a configuration's text; `path` names it in errors.
    /// - Throws: `ConfigError` naming the key and the problem.
    public static func parse(yaml: String, path: String) throws(ConfigError) -> AgentConfiguration {
        var document = try ConfigMapping.document(yaml: yaml, file: path)

        var interval = 1.0
        if var sampling = try document.mapping("sampling") {
            interval = try sampling.duration("interval", in: 0.1...3600) ?? interval
            try sampling.rejectUnknownKeys()
        }
        let board = try document.string("board") ?? "generic"
        let outputs = try readOutputs(&document)
        var schedule: [ScheduledSuite] = []
        for var entry in try document.mappings("schedule") ?? [] {
            schedule.append(try readScheduledSuite(&entry))
        }
        let latencyService = try readLatencyService(&document)
        let metrics = try readMetrics(&document)
        try document.rejectUnknownKeys()
        return AgentConfiguration(
            path: path, samplingIntervalS: interval, board: board, outputs: outputs, schedule: schedule,
            latencyService: latencyService, metrics: metrics)
    }

    private static func readOutputs(_ document: inout ConfigMapping) throws(ConfigError) -> Outputs {
        guard var outputs = try document.mapping("outputs") else {
            return Outputs(standardOutput: true, file: nil)
        }
        let standardOutput = try outputs.bool("stdout") ?? true
        var file: FileOutput?
        if var fileEntry = try outputs.mapping("file") {
            guard let path = try fileEntry.absolutePath("path") else { throw fileEntry.missing("path") }
            file = FileOutput(
                path: path,
                maxBytes: try fileEntry.byteCount("max_size", in: 1024...(1 << 40)) ?? 10 << 20,
                keep: try fileEntry.int("keep", in: 0...1000) ?? 5)
            try fileEntry.rejectUnknownKeys()
        }
        try outputs.rejectUnknownKeys()
        guard standardOutput || file != nil else {
            throw outputs.error("stdout", "is false and no file is set: records would go nowhere")
        }
        return Outputs(standardOutput: standardOutput, file: file)
    }

    private static func readScheduledSuite(_ entry: inout ConfigMapping) throws(ConfigError) -> ScheduledSuite {
        let suite = try entry.string("suite")
        let arch = try entry.string("soak")
        if suite != nil, arch != nil { throw entry.error("soak", "an entry runs a suite or a soak, not both") }
        guard let name = suite ?? arch else { throw entry.missing("suite") }
        guard let every = try entry.duration("every", in: 1...(366 * 86_400)) else { throw entry.missing("every") }
        var soak: ScheduledSoak?
        if arch != nil {
            // Suites' per-layer keys (min_time, min_iterations) are left unread: rejected below.
            let duration = try entry.duration("duration", in: 0.1...86_400) ?? 600
            let window = try entry.duration("window", in: 0.1...3600) ?? 10
            guard window <= duration else {
                throw entry.error("window", "(\(window) s) must not be longer than duration (\(duration) s)")
            }
            soak = ScheduledSoak(durationS: duration, windowS: window)
        }
        let suiteEntry = ScheduledSuite(
            suite: name, everyS: every,
            maxCpuBusyPct: try entry.double("max_cpu_busy_pct", in: 1...100) ?? 25,
            maxTempC: try entry.double("max_temp_c", in: -40...150) ?? 70,
            retryAfterS: try entry.duration("retry_after", in: 1...86_400) ?? 300,
            minTimeS: soak == nil ? try entry.duration("min_time", in: 0...600) ?? 1 : 0,
            warmup: try entry.int("warmup", in: 0...100_000) ?? 5,
            minIterations: soak == nil ? try entry.int("min_iterations", in: 1...1_000_000) ?? 20 : 1,
            soak: soak)
        try entry.rejectUnknownKeys()
        return suiteEntry
    }
}

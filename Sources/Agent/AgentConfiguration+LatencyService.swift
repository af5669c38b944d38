import Harness
import LatencyService
import Models

extension AgentConfiguration {
    /// The HTTP latency service the agent hosts (`latency_service`; off when the key is absent):
    /// the same service as `edgeprobe latency --serve`, with the same checks, sharing the board
    /// with the scheduled suites so that no two measurements overlap.
    public struct LatencyServiceEntry: Sendable, Equatable {
        /// Address and port to listen on (`127.0.0.1:8321` by default).
        public var listen: ListenAddress
        /// File (mode 0600) holding the bearer token; required unless `listen` is loopback.
        public var tokenFile: String?
        /// Requests that may wait behind the running measurement; one more gets 429.
        public var queue: Int
        /// Largest request body, bytes; a larger one gets 413.
        public var maxRequestBytes: Int
        /// Largest architecture in multiply-accumulates; a larger one gets 422.
        public var maxMacs: Int
        /// Largest architecture in bytes of weights and activations; a larger one gets 422.
        public var maxMemoryBytes: Int
        /// Longest a request may wait and be measured, seconds; then 504.
        public var timeoutS: Double
        /// Untimed warm-up iterations per measurement.
        public var warmup: Int
        /// Fewest timed iterations per measurement.
        public var minIterations: Int
        /// Least timed duration per measurement (a request may ask for up to `maxMinTimeS`), seconds.
        public var minTimeS: Double
        /// Upper percentile reported as the conservative latency: 90, 95 or 99.
        public var percentile: Int

        /// An entry as given.
        public init(
            listen: ListenAddress, tokenFile: String?, queue: Int, maxRequestBytes: Int, maxMacs: Int, maxMemoryBytes: Int,
            timeoutS: Double, warmup: Int, minIterations: Int, minTimeS: Double, percentile: Int
        ) {
            self.listen = listen
            self.tokenFile = tokenFile
            self.queue = queue
            self.maxRequestBytes = maxRequestBytes
            self.maxMacs = maxMacs
            self.maxMemoryBytes = maxMemoryBytes
            self.timeoutS = timeoutS
            self.warmup = warmup
            self.minIterations = minIterations
            self.minTimeS = minTimeS
            self.percentile = percentile
        }

        /// Largest `min_time_s` a request may ask for, seconds.
        public static let maxMinTimeS = 60.0

        /// The service's configuration, measuring with `board`'s threads and CPUs.
        public func serviceConfiguration(board: BoardProfile) -> LatencyServiceConfiguration {
            serviceConfiguration(threads: board.threads, cpus: board.cpus)
        }

        /// The service's configuration, measuring on `threads` threads pinned to `cpus`.
        func serviceConfiguration(threads: Int, cpus: [Int]?) -> LatencyServiceConfiguration {
            LatencyServiceConfiguration(
                host: listen.host, port: listen.port, tokenFile: tokenFile, maxQueue: queue, maxBodyBytes: maxRequestBytes,
                limits: ArchitectureLimits(maxMacs: maxMacs, maxMemoryBytes: maxMemoryBytes), requestTimeoutS: timeoutS,
                measurement: LatencyMeasurement(
                    threads: threads, cpus: cpus,
                    policy: MeasurementPolicy(warmupIterations: warmup, minIterations: minIterations, minTimeS: minTimeS),
                    seed: 1, percentile: percentile),
                maxMinTimeS: Self.maxMinTimeS, sampleTelemetry: true)
        }
    }

    // MARK: - Checks that read files

    /// The latency service's configuration for `board`, its token file read and checked (mode
    /// 0600, not empty), or `nil` when the service is off. Run before anything starts and on
    /// every reload.
    /// - Throws: `ConfigError` naming `latency_service.<key>` and the service's own problem.
    public func latencyServiceConfiguration(board: BoardProfile) throws(ConfigError) -> LatencyServiceConfiguration? {
        guard let latencyService else { return nil }
        let configuration = latencyService.serviceConfiguration(board: board)
        do {
            _ = try configuration.checkedToken()
        } catch {
            throw ConfigError(file: path, key: "\(Self.latencyServiceKey).\(error.setting.configurationKey)", problem: error.problem)
        }
        return configuration
    }

    /// The top-level key of the latency service.
    public static let latencyServiceKey = "latency_service"

    // MARK: - Reading

    /// Reads `latency_service`, checking every value with the service's own rules (those of
    /// `latency --serve`) except the token file's contents, which `latencyServiceConfiguration` reads.
    static func readLatencyService(_ document: inout ConfigMapping) throws(ConfigError) -> LatencyServiceEntry? {
        guard var entry = try document.mapping(latencyServiceKey) else { return nil }
        var listen = ListenAddress(host: "127.0.0.1", port: 8321)
        if let text = try entry.string("listen") {
            guard let parsed = ListenAddress(parsing: text) else {
                throw entry.error("listen", "expected \(ListenAddress.expected), got '\(text)'")
            }
            listen = parsed
        }
        let tokenFile = try entry.string("token_file")
        if let tokenFile, !tokenFile.hasPrefix("/") {
            throw entry.error("token_file", "must be an absolute path, got '\(tokenFile)'")
        }
        let defaults = LatencyServiceConfiguration()
        let percentile = try entry.int("percentile", in: 90...99) ?? 90
        guard LatencyMeasurement.supportedPercentiles.contains(percentile) else {
            throw entry.error("percentile", "must be one of 90, 95, 99; got \(percentile)")
        }
        let result = LatencyServiceEntry(
            listen: listen, tokenFile: tokenFile,
            queue: try entry.int("queue", in: 0...1000) ?? defaults.maxQueue,
            maxRequestBytes: try entry.byteCount("max_request_bytes", in: 1...(64 << 20)) ?? defaults.maxBodyBytes,
            maxMacs: try entry.int("max_macs", in: 1...Int.max) ?? defaults.limits.maxMacs,
            maxMemoryBytes: try entry.byteCount("max_memory", in: 1...(1 << 40)) ?? defaults.limits.maxMemoryBytes,
            timeoutS: try entry.duration("timeout", in: 1...86_400) ?? defaults.requestTimeoutS,
            warmup: try entry.int("warmup", in: 0...100_000) ?? 5,
            minIterations: try entry.int("min_iterations", in: 1...1_000_000) ?? 20,
            minTimeS: try entry.duration("min_time", in: 0...LatencyServiceEntry.maxMinTimeS) ?? 1,
            percentile: percentile)
        try entry.rejectUnknownKeys()
        do {
            try result.serviceConfiguration(threads: 1, cpus: nil).validate()
        } catch {
            throw entry.error(error.setting.configurationKey, error.problem)
        }
        return result
    }
}

import Measurement

extension AgentConfiguration {
    /// The HTTP latency service the agent hosts (`latency_service`; off when the key is absent):
    /// the same service as `edgeprobe latency serve`, with the same checks, sharing the board
    /// with the scheduled suites so that no two measurements overlap.
    ///
    /// Every value is read and checked here, without the service's code; the full edgeprobe
    /// turns the entry into the service's configuration and reads the token file
    /// (`latencyServiceConfiguration(board:)` in Agent).
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
        /// Least timed duration per measurement (a request may ask for up to `LatencyServiceDefaults.maxMinTimeS`), seconds.
        public var minTimeS: Double
        /// Upper percentile reported as the conservative latency: one of `ConservativePercentiles.supported`.
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
    }

    /// The top-level key of the latency service.
    public static let latencyServiceKey = "latency_service"

    // MARK: - Reading

    /// Reads `latency_service`, checking every value with the service's own rules (those of
    /// `latency serve`) except the token file's contents, which `latencyServiceConfiguration` reads.
    static func readLatencyService(_ document: inout ConfigMapping) throws(ConfigError) -> LatencyServiceEntry? {
        guard var entry = try document.mapping(latencyServiceKey) else { return nil }
        let listen = try entry.listenAddress("listen", expected: ListenAddress.expected) ?? LatencyServiceDefaults.listen
        let tokenFile = try entry.absolutePath("token_file")
        let percentile = try entry.int("percentile", in: 90...99) ?? LatencyServiceDefaults.percentile
        guard ConservativePercentiles.supported.contains(percentile) else {
            let allowed = ConservativePercentiles.supported.map { String($0) }.joined(separator: ", ")
            throw entry.error("percentile", "must be one of \(allowed); got \(percentile)")
        }
        let result = LatencyServiceEntry(
            listen: listen, tokenFile: tokenFile,
            queue: try entry.int("queue", in: 0...1000) ?? LatencyServiceDefaults.maxQueue,
            maxRequestBytes: try entry.byteCount("max_request_bytes", in: 1...(64 << 20)) ?? LatencyServiceDefaults.maxBodyBytes,
            maxMacs: try entry.int("max_macs", in: 1...Int.max) ?? LatencyServiceDefaults.maxMacs,
            maxMemoryBytes: try entry.byteCount("max_memory", in: 1...(1 << 40)) ?? LatencyServiceDefaults.maxMemoryBytes,
            timeoutS: try entry.duration("timeout", in: 1...86_400) ?? LatencyServiceDefaults.requestTimeoutS,
            warmup: try entry.int("warmup", in: 0...100_000) ?? LatencyServiceDefaults.policy.warmupIterations,
            minIterations: try entry.int("min_iterations", in: 1...1_000_000) ?? LatencyServiceDefaults.policy.minIterations,
            minTimeS: try entry.duration("min_time", in: 0...LatencyServiceDefaults.maxMinTimeS) ?? LatencyServiceDefaults.policy.minTimeS,
            percentile: percentile)
        try entry.rejectUnknownKeys()
        // The rest of `LatencyServiceConfiguration.validate()`, same rules and words (the ranges above cover its limits).
        if let problem = listen.hostProblem { throw entry.error("listen", problem) }
        if let problem = listen.tokenProblem(hasTokenFile: tokenFile != nil) { throw entry.error("token_file", problem) }
        return result
    }
}

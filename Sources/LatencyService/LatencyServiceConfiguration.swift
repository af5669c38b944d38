import Harness
import Models

/// How the HTTP latency service listens, whom it admits and how much it accepts.
public struct LatencyServiceConfiguration: Sendable {
    /// The address to bind, `127.0.0.1` by default. Any other address needs `tokenFile`.
    public var host: String
    /// The TCP port (0 asks the kernel for a free one).
    public var port: Int
    /// A file holding the bearer token every request must present; required off loopback and
    /// must not be readable by group or others (mode 0600).
    public var tokenFile: String?
    /// Requests that may wait while one is measured; one more gets 429.
    public var maxQueue: Int
    /// Largest request body, bytes; a larger one gets 413.
    public var maxBodyBytes: Int
    /// Size limits on requested architectures; one beyond them gets 422.
    public var limits: ArchitectureLimits
    /// Longest time a request may wait and be measured, seconds; then 504.
    public var requestTimeoutS: Double
    /// Threads, pinning, policy, seed and percentile of every measurement.
    public var measurement: LatencyMeasurement
    /// Largest `min_time_s` a request may ask for.
    public var maxMinTimeS: Double
    /// Whether to sample telemetry while measuring (a sampling thread per measurement).
    public var sampleTelemetry: Bool

    /// A configuration; the defaults listen on loopback port 8321 without a token.
    public init(
        host: String = "127.0.0.1", port: Int = 8321, tokenFile: String? = nil, maxQueue: Int = 4,
        maxBodyBytes: Int = 64 * 1024, limits: ArchitectureLimits = ArchitectureLimits(maxMacs: 1_000_000_000),
        requestTimeoutS: Double = 120,
        measurement: LatencyMeasurement = LatencyMeasurement(
            threads: 1, cpus: nil, policy: MeasurementPolicy(warmupIterations: 5, minIterations: 20, minTimeS: 1), seed: 1),
        maxMinTimeS: Double = 10, sampleTelemetry: Bool = true
    ) {
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.maxQueue = maxQueue
        self.maxBodyBytes = maxBodyBytes
        self.limits = limits
        self.requestTimeoutS = requestTimeoutS
        self.measurement = measurement
        self.maxMinTimeS = maxMinTimeS
        self.sampleTelemetry = sampleTelemetry
    }

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// Checks the configuration and reads the token, if any.
    /// - Throws: `LatencyServiceError.configuration` naming the problem.
    public func validatedToken() throws(LatencyServiceError) -> BearerToken? {
        guard (0...65_535).contains(port) else { throw .configuration("listen port \(port) is out of range") }
        guard maxQueue >= 0, maxBodyBytes > 0, requestTimeoutS > 0 else {
            throw .configuration("max queue, body size and request timeout must be positive")
        }
        guard let tokenFile else {
            if !isLoopback {
                throw .configuration("listening on \(host) (not loopback) requires a bearer token file (--token-file)")
            }
            return nil
        }
        return try BearerToken(file: tokenFile)
    }
}

// ListenAddress and the defaults live in AgentConfig, so the agent's configuration reads them without this service.
@_exported import struct AgentConfig.ListenAddress
import AgentConfig
import Measurement
import Models
import NAS

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
        host: String = LatencyServiceDefaults.listen.host, port: Int = LatencyServiceDefaults.listen.port, tokenFile: String? = nil,
        maxQueue: Int = LatencyServiceDefaults.maxQueue, maxBodyBytes: Int = LatencyServiceDefaults.maxBodyBytes,
        limits: ArchitectureLimits = ArchitectureLimits(
            maxMacs: LatencyServiceDefaults.maxMacs, maxMemoryBytes: LatencyServiceDefaults.maxMemoryBytes),
        requestTimeoutS: Double = LatencyServiceDefaults.requestTimeoutS,
        measurement: LatencyMeasurement = LatencyMeasurement(
            threads: 1, cpus: nil, policy: LatencyServiceDefaults.policy, seed: 1, percentile: LatencyServiceDefaults.percentile),
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
    public var isLoopback: Bool { listen.isLoopback }

    /// Where the service listens.
    public var listen: ListenAddress {
        get { ListenAddress(host: host, port: port) }
        set { host = newValue.host; port = newValue.port }
    }
}

// MARK: - Validation

extension LatencyServiceConfiguration {
    /// A setting of the service, as `latency serve` and the agent's `latency_service` spell it.
    public enum Setting: String, Sendable, CaseIterable {
        /// Address and port.
        case listen
        /// The bearer token file.
        case tokenFile
        /// Requests that may wait.
        case maxQueue
        /// Largest request body.
        case maxBodyBytes
        /// Per-request timeout.
        case requestTimeout
        /// Largest architecture, in MACs.
        case maxMacs
        /// Largest architecture, in bytes of weights and activations.
        case maxMemory

        /// The command-line option of `edgeprobe latency serve`.
        public var option: String {
            switch self {
            case .listen: "--listen"
            case .tokenFile: "--token-file"
            case .maxQueue: "--max-queue"
            case .maxBodyBytes: "--max-body-bytes"
            case .requestTimeout: "--request-timeout"
            case .maxMacs: "--max-macs"
            case .maxMemory: "--max-memory-mib"
            }
        }

        /// The key under `latency_service` in the agent's configuration file.
        public var configurationKey: String {
            switch self {
            case .listen: "listen"
            case .tokenFile: "token_file"
            case .maxQueue: "queue"
            case .maxBodyBytes: "max_request_bytes"
            case .requestTimeout: "timeout"
            case .maxMacs: "max_macs"
            case .maxMemory: "max_memory"
            }
        }
    }

    /// A setting that cannot work, and why (the caller names the setting its own way).
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The setting at fault.
        public let setting: Setting
        /// What is wrong, without the setting's name.
        public let problem: String

        /// A problem with `setting`.
        public init(_ setting: Setting, _ problem: String) {
            self.setting = setting
            self.problem = problem
        }

        /// `--option: problem`, as the command line reports it.
        public var description: String { "\(setting.option): \(problem)" }
    }

    /// Checks every setting without touching the file system or the network: an address that
    /// is numeric (or `localhost`) with a port in range, limits that are positive, and a token
    /// file named whenever the address is not loopback.
    /// - Throws: the first `Problem`.
    public func validate() throws(Problem) {
        guard (0...65_535).contains(port) else { throw Problem(.listen, "port \(port) is out of range 0...65535") }
        if let problem = listen.hostProblem { throw Problem(.listen, problem) }
        guard maxQueue >= 0 else { throw Problem(.maxQueue, "must not be negative, got \(maxQueue)") }
        guard maxBodyBytes > 0 else { throw Problem(.maxBodyBytes, "must be positive, got \(maxBodyBytes)") }
        guard requestTimeoutS > 0, requestTimeoutS.isFinite else {
            throw Problem(.requestTimeout, "must be positive, got \(requestTimeoutS) s")
        }
        guard limits.maxMacs > 0 else { throw Problem(.maxMacs, "must be positive, got \(limits.maxMacs)") }
        guard limits.maxMemoryBytes > 0 else { throw Problem(.maxMemory, "must be positive, got \(limits.maxMemoryBytes) bytes") }
        if let problem = listen.tokenProblem(hasTokenFile: tokenFile != nil) { throw Problem(.tokenFile, problem) }
    }

    /// Validates the settings and reads the token file, if any (mode 0600, not empty).
    /// - Throws: the first `Problem`.
    public func checkedToken() throws(Problem) -> BearerToken? {
        try validate()
        guard let tokenFile else { return nil }
        do {
            return try BearerToken(file: tokenFile)
        } catch {
            guard case .configuration(let problem) = error else { throw Problem(.tokenFile, "\(error)") }
            throw Problem(.tokenFile, problem)
        }
    }

    /// Checks the configuration and reads the token, if any.
    /// - Throws: `LatencyServiceError.configuration` naming the command-line option and the problem.
    public func validatedToken() throws(LatencyServiceError) -> BearerToken? {
        do {
            return try checkedToken()
        } catch {
            throw .configuration(error.description)
        }
    }
}

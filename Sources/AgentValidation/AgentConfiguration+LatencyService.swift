import AgentConfig
import LatencyService
import Measurement
import Models
import NAS
import Profiles

extension AgentConfiguration.LatencyServiceEntry {
    /// The service's configuration, measuring with `board`'s threads and CPUs.
    public func serviceConfiguration(board: BoardProfile) -> LatencyServiceConfiguration {
        serviceConfiguration(threads: board.threads, cpus: board.cpus)
    }

    /// The service's configuration, measuring on `threads` threads pinned to `cpus` with weights
    /// and inputs drawn from `seed` (the agent's service uses the board's threads and CPUs and seed 1).
    public func serviceConfiguration(threads: Int, cpus: [Int]?, seed: UInt64 = 1) -> LatencyServiceConfiguration {
        LatencyServiceConfiguration(
            host: listen.host, port: listen.port, tokenFile: tokenFile, maxQueue: queue, maxBodyBytes: maxRequestBytes,
            limits: ArchitectureLimits(maxMacs: maxMacs, maxMemoryBytes: maxMemoryBytes), requestTimeoutS: timeoutS,
            measurement: LatencyMeasurement(
                threads: threads, cpus: cpus,
                policy: MeasurementPolicy(warmupIterations: warmup, minIterations: minIterations, minTimeS: minTimeS),
                seed: seed, percentile: percentile),
            maxMinTimeS: LatencyServiceDefaults.maxMinTimeS, sampleTelemetry: true)
    }
}

extension AgentConfiguration {
    // MARK: - Checks that read files

    /// The latency service's configuration for `board`, checked with the service's own rules
    /// (`validate()`) and its token file read and checked (mode 0600, not empty), or `nil` when
    /// the service is off. Run before anything starts and on every reload.
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
}

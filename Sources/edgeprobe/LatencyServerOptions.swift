import AgentConfig
import AgentValidation
import ArgumentParser
import BoardLock
import CommandLineSupport
import LatencyService
import Profiles

/// How the HTTP latency service listens, whom it admits and how much it takes: the command-line
/// spelling of the agent's `latency_service:` entry, with the same defaults (`LatencyServiceDefaults`).
struct LatencyServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address and port to listen on.", valueName: "host:port"))
    var listen = LatencyServiceDefaults.listen.description

    @Option(help: ArgumentHelp("File (mode 0600) holding the bearer token requests must present.", valueName: "path"))
    var tokenFile: String?

    @Option(parsing: .unconditional, help: "Requests that may wait behind the running measurement.")
    var maxQueue = LatencyServiceDefaults.maxQueue

    @Option(parsing: .unconditional, help: "Largest request body, bytes.")
    var maxBodyBytes = LatencyServiceDefaults.maxBodyBytes

    @Option(parsing: .unconditional, help: ArgumentHelp("Longest a request may wait and be measured.", valueName: "duration"))
    var requestTimeout = DurationArgument(.seconds(LatencyServiceDefaults.requestTimeoutS))

    @Option(help: ArgumentHelp(
        "Lock file (flock) held around every measurement, shared with the agent's scheduled suites so measurements of the two processes never overlap.",
        valueName: "path"))
    var boardLock: String?

    /// Checks the settings without touching the file system or the network.
    func validate<Defaults>(measurement: MeasurementOptions<Defaults>, network: NetworkOptions<Defaults>) throws {
        if boardLock?.isEmpty == true { throw ValidationError("--board-lock expects a file path, got ''") }
        guard let configuration = configuration(measurement: measurement, network: network) else {
            throw ValidationError("--listen expects \(ListenAddress.expected); got '\(listen)'")
        }
        do {
            try configuration.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// The service's configuration, measuring on `threads` threads pinned to `cpus`, built as the
    /// agent builds its own from `latency_service:`; `nil` when --listen is not `host:port`.
    func configuration<Defaults>(
        measurement: MeasurementOptions<Defaults>, network: NetworkOptions<Defaults>, threads: Int = 1, cpus: [Int]? = nil
    ) -> LatencyServiceConfiguration? {
        guard let address = ListenAddress(parsing: listen) else { return nil }
        let entry = AgentConfiguration.LatencyServiceEntry(
            listen: address, tokenFile: tokenFile, queue: maxQueue, maxRequestBytes: maxBodyBytes,
            maxMacs: network.limits.maxMacs, maxMemoryBytes: network.limits.maxMemoryBytes, timeoutS: requestTimeout.seconds,
            warmup: measurement.warmup, minIterations: measurement.minIterations, minTimeS: measurement.minTime.seconds,
            percentile: network.percentile)
        return entry.serviceConfiguration(threads: threads, cpus: cpus, seed: measurement.seed)
    }

    /// Serves until SIGINT or SIGTERM, measuring with the board profile's threads and CPUs
    /// unless `measurement` overrides them.
    func serve<Defaults>(measurement: MeasurementOptions<Defaults>, network: NetworkOptions<Defaults>) async throws {
        let resolved = try measurement.resolvedOrExit()
        guard let configuration = configuration(
            measurement: measurement, network: network, threads: resolved.threads, cpus: resolved.cpus) else { return }
        let lock: BoardLock?
        do {
            lock = try boardLock.map { path throws(BoardLockError) in try BoardLock(path: path) }
        } catch {
            printError("--board-lock: \(error.description)")
            throw ExitCode.failure
        }
        let service: LatencyService
        do {
            service = try LatencyService(handler: LatencyServiceHandler(
                configuration: configuration, gate: MeasurementGate(boardLock: lock)))
        } catch {
            printError(error.description)
            throw ExitCode.failure
        }
        try await service.runUntilSignalled(announce: printError)
    }
}

import ArgumentParser
import Engines
import BoardLock
import CommandLineSupport
import LatencyService
import Measurement
import Models
import NAS
import Profiles
import Reports

extension EdgeProbe {
    /// `edgeprobe latency`: measure an architecture spec end to end, for neural architecture search.
    struct Latency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a network architecture's latency on this board (and its MnasNet reward).",
            discussion: """
                Builds the architecture spec (Docs/nas.md) with seeded random weights, warms up,
                times it until --min-iterations and --min-time are both reached, and writes one
                `latency` record: end-to-end statistics (microseconds), a conservative latency
                (an upper percentile with the number of runs behind it), per-block latencies with
                their lookup-table keys, and telemetry. With --accuracy and --target-ms it adds
                the MnasNet reward ACC x (LAT/T)^w computed from the conservative latency.

                --serve answers the same over HTTP instead (Docs/nas.md): POST /v1/latency with a
                spec as the body (YAML or JSON; query: accuracy, target_ms, constraint, percentile,
                min_time_s, seed) returns the latency record; GET /v1/health. One measurement at a
                time, a bounded queue (429), body and MAC limits (413/422), a timeout (504).
                Loopback only unless --listen names another address, which needs --token-file.
                With --board-lock, every measurement also holds that file's lock (flock), so it
                never overlaps what another process measures under the same lock (the agent's
                scheduled suites); meanwhile requests wait and GET /v1/health says busy_with
                "schedule".

                Examples:
                  edgeprobe latency --arch mobilenet-v2-96
                  edgeprobe latency --arch ./my-arch.yaml --accuracy 0.72 --target-ms 15
                  edgeprobe latency --arch tiny --accuracy 0.5 --target-ms 1 --hard-constraint
                  edgeprobe latency --serve --listen 127.0.0.1:8321
                """)

        @Option(help: ArgumentHelp("Architecture name in Profiles/archs, or a path to a spec file.", valueName: "name|path"))
        var arch: String?

        @Flag(help: "Serve measurements over HTTP instead of measuring --arch once.")
        var serve = false

        @Option(help: ArgumentHelp("With --serve: address and port to listen on.", valueName: "host:port"))
        var listen = "127.0.0.1:8321"

        @Option(help: ArgumentHelp("With --serve: file (mode 0600) holding the bearer token requests must present.", valueName: "path"))
        var tokenFile: String?

        @Option(help: "With --serve: requests that may wait behind the running measurement.")
        var maxQueue = 4

        @Option(help: "With --serve: largest request body, bytes.")
        var maxBodyBytes = 64 * 1024

        @Option(help: ArgumentHelp("With --serve: longest a request may wait and be measured.", valueName: "duration"))
        var requestTimeout = DurationArgument(.seconds(120))

        @Option(help: ArgumentHelp(
            "With --serve: lock file (flock) held around every measurement, shared with the agent's scheduled suites so measurements of the two processes never overlap.",
            valueName: "path"))
        var boardLock: String?

        @OptionGroup var measurement: ArchitectureMeasurementOptions

        @OptionGroup var engines: EngineOptions

        @Option(help: ArgumentHelp("Accuracy of the architecture, in [0, 1], for the MnasNet reward.", valueName: "fraction"))
        var accuracy: Double?

        @Option(help: ArgumentHelp("Target latency T in milliseconds, for the MnasNet reward.", valueName: "ms"))
        var targetMs: Double?

        @Flag(help: "Hard latency constraint (alpha = 0, beta = -1) instead of the soft one (alpha = beta = -0.07).")
        var hardConstraint = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            try measurement.validate()
            if serve, engines.engine == .both {
                throw ValidationError("--engine both gives two records per measurement, the service answers with one: use --engine edgeprobe or --engine xnnpack with --serve")
            }
            if serve {
                if arch != nil || accuracy != nil { throw ValidationError("--serve takes specs from requests: drop --arch and --accuracy") }
                if boardLock?.isEmpty == true { throw ValidationError("--board-lock expects a file path, got ''") }
                guard let configuration = serviceConfiguration else {
                    throw ValidationError("--listen expects \(ListenAddress.expected); got '\(listen)'")
                }
                do {
                    try configuration.validate()
                } catch {
                    throw ValidationError(error.description)
                }
                return
            }
            if arch == nil { throw ValidationError("give --arch NAME|PATH (or --serve)") }
            if boardLock != nil { throw ValidationError("--board-lock goes with --serve") }
            if (accuracy == nil) != (targetMs == nil) {
                throw ValidationError("--accuracy and --target-ms go together: give both or neither")
            }
            if let accuracy, !(0...1).contains(accuracy) {
                throw ValidationError("--accuracy must be a fraction in [0, 1], got \(accuracy)")
            }
            if let targetMs, !(targetMs > 0) { throw ValidationError("--target-ms must be positive, got \(targetMs)") }
            if hardConstraint, accuracy == nil { throw ValidationError("--hard-constraint needs --accuracy and --target-ms") }
        }

        /// The service's settings from the command line (the measurement is set from the board
        /// when it runs), `nil` when --listen is not `host:port`.
        private var serviceConfiguration: LatencyServiceConfiguration? {
            guard let address = ListenAddress(parsing: listen) else { return nil }
            return LatencyServiceConfiguration(
                host: address.host, port: address.port, tokenFile: tokenFile, maxQueue: maxQueue, maxBodyBytes: maxBodyBytes,
                limits: measurement.limits, requestTimeoutS: requestTimeout.seconds, maxMinTimeS: 60, sampleTelemetry: true)
        }

        func run() async throws {
            if serve { return try await runService() }
            try measureOnce()
        }

        private func runService() async throws {
            let board: BoardProfile
            do {
                board = try measurement.loadBoard(locator: ProfileLocator.standard())
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            guard var configuration = serviceConfiguration else { return }
            configuration.measurement = measurement.configuration(board: board)
            configuration.measurement.engine = engines.engine
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
            Task {
                if let bound = try? await service.boundPort() { printError("serving on http://\(ListenAddress(host: configuration.host, port: bound))") }
            }
            try await service.runUntilSignalled()
        }

        private func measureOnce() throws {
            guard let arch else { return }
            let locator = ProfileLocator.standard()
            let plan: ArchitecturePlan
            let path: String
            let board: BoardProfile
            do {
                path = try locator.locate(arch, kind: "archs")
                plan = try ArchitectureSpec.loadPlan(path: path, limits: measurement.limits)
                board = try measurement.loadBoard(locator: locator)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            var configuration = measurement.configuration(board: board)
            configuration.engine = engines.engine
            configuration.reward = accuracy.map {
                LatencyMeasurement.RewardRequest(accuracy: $0, targetMs: targetMs ?? 0, constraint: hardConstraint ? .hard : .soft)
            }
            let writer = try output.makeWriter()
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let telemetry = try startTelemetry(interval: measurement.sampleInterval, avoiding: configuration.cpus)
            printError("measuring \(plan.spec.name): \(plan.layers.count) layers, \(plan.macs) MACs, \(plan.parameterCount) params")
            let records: [LatencyRecord]
            do {
                records = try configuration.runEngines(plan: plan, source: path, telemetry: telemetry, stopFlag: stopFlag)
            } catch {
                printError(error.description)
                throw ExitCode(stopFlag.raisedBySignal.map(TerminationSignals.exitStatus) ?? 1)
            }
            withExtendedLifetime(signals) {}
            for record in records {
                try writer.write(record)
                printError(Self.summary(record))
                for warning in record.warnings { printError("warning: \(warning)") }
            }
        }

        /// One line for people: the headline figures.
        static func summary(_ record: LatencyRecord) -> String {
            func ms(_ us: Double) -> String { String((us / 10).rounded() / 100) }
            var line = "\(record.name) [\(record.engine)]: p50 \(ms(record.latencyUs.p50)) ms, "
                + "p\(record.conservativeLatency.percentile) \(ms(record.conservativeLatency.valueUs)) ms (n=\(record.latencyUs.n)), "
                + "cv \((record.latencyUs.cv * 1000).rounded() / 10)%"
            if let reward = record.reward {
                line += ", MnasNet reward \(reward.value) (\(reward.constraint.rawValue), w=\(reward.exponent))"
            }
            if let ratio = record.p50RatioEdgeprobeToXnnpack {
                line += ", edgeprobe/xnnpack p50 \((ratio * 100).rounded() / 100)x"
            }
            return line
        }
    }
}

/// Options shared by `latency` and `lut`: board, threads, measurement policy, limits, telemetry.
struct ArchitectureMeasurementOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Board profile name in Profiles/boards, or a path.", valueName: "name|path"))
    var board = "generic"

    @Option(help: "Benchmark threads (default: the board profile's).")
    var threads: Int?

    @Option(help: ArgumentHelp("CPUs to pin benchmark threads to, e.g. 0,1 (default: the board profile's).", valueName: "list"))
    var cpus: CPUListArgument?

    @Option(help: "Untimed warm-up iterations.")
    var warmup = 5

    @Option(help: "Fewest timed iterations.")
    var minIterations = 20

    @Option(help: ArgumentHelp("Least timed duration, e.g. 500ms, 2s.", valueName: "duration"))
    var minTime = DurationArgument(.seconds(2))

    @Option(help: "Seed of the random weights and input.")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Upper percentile reported as the conservative latency: 90, 95 or 99.", valueName: "p"))
    var percentile = 90

    @Option(help: "Refuse architectures above this many multiply-accumulates.")
    var maxMacs = ArchitectureLimits().maxMacs

    @Option(help: ArgumentHelp("Refuse architectures whose weights and activations need more than this.", valueName: "MiB"))
    var maxMemoryMib = ArchitectureLimits().maxMemoryBytes >> 20

    @Option(help: ArgumentHelp("Telemetry sampling interval while the network runs.", valueName: "duration"))
    var sampleInterval = DurationArgument(.milliseconds(100))

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if warmup < 0 { throw ValidationError("--warmup must not be negative, got \(warmup)") }
        if minIterations < 1 { throw ValidationError("--min-iterations must be at least 1, got \(minIterations)") }
        if minTime.seconds < 0 { throw ValidationError("--min-time must not be negative") }
        if !ConservativePercentiles.supported.contains(percentile) {
            throw ValidationError("--percentile must be one of 90, 95, 99; got \(percentile)")
        }
        if maxMacs < 1 { throw ValidationError("--max-macs must be positive") }
        if maxMemoryMib < 1 { throw ValidationError("--max-memory-mib must be positive") }
        if sampleInterval.seconds < 0.01 { throw ValidationError("--sample-interval must be at least 10ms") }
    }

    /// The size limits in force.
    var limits: ArchitectureLimits { ArchitectureLimits(maxMacs: maxMacs, maxMemoryBytes: maxMemoryMib << 20) }

    /// The board profile named by --board.
    func loadBoard(locator: ProfileLocator) throws(ProfileError) -> BoardProfile {
        try BoardProfile.load(path: try locator.locate(board, kind: "boards"))
    }

    /// The measurement these options describe, with the board's defaults.
    func configuration(board: BoardProfile) -> LatencyMeasurement {
        LatencyMeasurement(
            threads: threads ?? board.threads, cpus: cpus?.cpus ?? board.cpus,
            policy: MeasurementPolicy(warmupIterations: warmup, minIterations: minIterations, minTimeS: minTime.seconds),
            seed: seed, percentile: percentile)
    }


}

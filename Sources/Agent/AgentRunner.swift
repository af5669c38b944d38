import BoardLock
import Glibc
import Logging
import Reports
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs `edgeprobe agent`: the output, sampling, scheduling, latency service and metrics
/// endpoint (when configured) and control services in one `ServiceGroup`, until SIGTERM or SIGINT. Suites, the latency
/// service and reload checks run as child processes of the full `edgeprobe` (`executable`).
///
/// Shutdown order is the reverse of start-up: control, the metrics endpoint, the latency service, the
/// scheduler (a running suite is stopped between iterations and writes its `run_end`), then
/// sampling, then output, which writes `agent_stop` last. The group's graceful-shutdown limit (`gracefulShutdownLimit`) is
/// kept well under the systemd unit's `TimeoutStopSec`.
public struct AgentRunner: Sendable {
    /// Longest graceful shutdown before the group cancels what is left.
    public static let gracefulShutdownLimit: Duration = .seconds(5)

    private let configuration: AgentConfiguration
    private let edgeprobeVersion: String
    private let executable: EdgeprobeExecutable
    private let announce: @Sendable (String) -> Void

    /// A runner for a validated `configuration`, starting its children with `executable`; the
    /// metrics endpoint tells `announce` where it serves (the executables pass `printError`).
    public init(
        configuration: AgentConfiguration, edgeprobeVersion: String, executable: EdgeprobeExecutable,
        announce: @escaping @Sendable (String) -> Void
    ) {
        self.configuration = configuration
        self.edgeprobeVersion = edgeprobeVersion
        self.executable = executable
        self.announce = announce
    }

    /// Runs until a graceful shutdown completes.
    /// - Throws: the error of a service that failed (after `agent_stop` with reason `error`).
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: ControlService.handledSignals)
        // A closed standard output (journald restarting, `| head`) must fail a write with EPIPE,
        // which the output counts and reports, rather than kill the agent.
        signal(SIGPIPE, SIG_IGN)
        let notifier = SystemdNotifier()
        let context = AgentContext(
            configuration: configuration, output: AgentOutputs.make(configuration.outputs),
            notifier: notifier, edgeprobeVersion: edgeprobeVersion,
            throttleLimitC: BoardProfileFile.throttleLimitC(board: configuration.board, executable: executable))
        writeStart(context)

        // `edgeprobe agent` checked these before handing over; the token is read here, once.
        let metricsToken: [UInt8]?
        do {
            metricsToken = try configuration.checkMetricsFiles()
        } catch {
            Self.stop(context, after: error)
            throw error
        }

        // The board lock exists only when a latency service shares the board with the suites.
        let boardLockPath = configuration.latencyService == nil ? nil : Self.boardLockPath(pid: getpid())
        defer { if let boardLockPath { unlink(boardLockPath) } }
        let boardLock: BoardLock?
        do {
            boardLock = try boardLockPath.map { try BoardLock(path: $0) }
        } catch {
            Self.stop(context, after: error)
            throw error
        }

        let groupHandle = Mutex<ServiceGroup?>(nil)
        let control = ControlService(
            context: context, signals: signals, reloader: ConfigurationReloader(context: context, executable: executable),
            shutdown: { await groupHandle.withLock { $0 }?.triggerGracefulShutdown() })
        var services: [any Service] = [
            OutputService(context: context), SamplingService(context: context),
            SchedulerService(context: context, executable: executable, boardLock: boardLock),
        ]
        if let boardLockPath {
            services.append(LatencyServiceProcess(context: context, executable: executable, boardLock: boardLockPath))
        }
        if let listen = configuration.metrics?.listen {
            services.append(MetricsService(context: context, listen: listen, bearerToken: metricsToken, announce: announce))
        }
        services.append(control)
        var logger = Logger(label: "edgeprobe.agent") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .warning
        var groupConfiguration = ServiceGroupConfiguration(
            services: services.map { .init(service: $0) }, logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = Self.gracefulShutdownLimit
        let group = ServiceGroup(configuration: groupConfiguration)
        groupHandle.withLock { $0 = group }

        do {
            try await group.run()
        } catch {
            Self.stop(context, after: error)
            throw error
        }
        context.writeStopRecord(error: false)
    }

    /// The lock file the agent and its latency service share: private to this agent (and, under
    /// systemd's `PrivateTmp=yes`, to its unit), removed when the agent stops.
    static func boardLockPath(pid: pid_t) -> String {
        "/tmp/edgeprobe-agent-\(pid).board-lock"
    }

    /// Records why the agent stops (`agent_error`, then `agent_stop` with reason `error`) and
    /// tells systemd it is stopping.
    private static func stop(_ context: AgentContext, after error: any Error) {
        context.report(AgentErrorRecord(source: "agent", message: "\(error)", action: "stopping"))
        context.writeStopRecord(error: true)
        context.notifier.stopping()
    }

    private func writeStart(_ context: AgentContext) {
        let watchdogS = context.notifier.watchdogIntervalUs.map { Double($0) / 1e6 }
        context.write(AgentStartRecord(
            edgeprobeVersion: edgeprobeVersion, pid: getpid(), config: ConfigSummary(configuration),
            systemdNotify: context.notifier.isEnabled, watchdogS: watchdogS))
        if let watchdogS, configuration.samplingIntervalS > watchdogS / 2 {
            context.report(AgentErrorRecord(
                source: "watchdog",
                message: "sampling.interval \(configuration.samplingIntervalS) s is more than half of WatchdogSec \(watchdogS) s",
                action: "systemd may kill the agent between two samples; lower sampling.interval or raise WatchdogSec"))
        }
    }
}

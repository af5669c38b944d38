import Glibc
import Logging
import Reports
import ServiceLifecycle
import Synchronization
import UnixSignals

/// Runs `edgeprobe agent`: the output, sampling, scheduling and control services in one
/// `ServiceGroup`, until SIGTERM or SIGINT.
///
/// Shutdown order is the reverse of start-up: control, then the scheduler (a running suite is
/// stopped between iterations and writes its `run_end`), then sampling, then output, which
/// writes `agent_stop` last. The group's graceful-shutdown limit (`gracefulShutdownLimit`) is
/// kept well under the systemd unit's `TimeoutStopSec`.
public struct AgentRunner: Sendable {
    /// Longest graceful shutdown before the group cancels what is left.
    public static let gracefulShutdownLimit: Duration = .seconds(5)

    private let configuration: AgentConfiguration
    private let edgeprobeVersion: String
    private let check: @Sendable (AgentConfiguration) throws(ConfigError) -> Void
    private let extraServices: @Sendable (AgentContext) -> [any Service]

    /// A runner for a validated `configuration`. `check` validates a reloaded configuration
    /// beyond its syntax; `extraServices` adds services (the scheduler) between sampling and control.
    public init(
        configuration: AgentConfiguration, edgeprobeVersion: String,
        check: @escaping @Sendable (AgentConfiguration) throws(ConfigError) -> Void = { _ in },
        extraServices: @escaping @Sendable (AgentContext) -> [any Service] = { _ in [] }
    ) {
        self.configuration = configuration
        self.edgeprobeVersion = edgeprobeVersion
        self.check = check
        self.extraServices = extraServices
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
            notifier: notifier, edgeprobeVersion: edgeprobeVersion)
        writeStart(context)

        let groupHandle = Mutex<ServiceGroup?>(nil)
        let control = ControlService(
            context: context, signals: signals, reloader: ConfigurationReloader(context: context, check: check),
            shutdown: { await groupHandle.withLock { $0 }?.triggerGracefulShutdown() })
        let services: [any Service] =
            [OutputService(context: context), SamplingService(context: context)] + extraServices(context) + [control]
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
            context.report(AgentErrorRecord(source: "agent", message: "\(error)", action: "stopping"))
            context.writeStopRecord(error: true)
            notifier.stopping()
            throw error
        }
        context.writeStopRecord(error: false)
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

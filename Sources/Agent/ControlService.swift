import Glibc
import ServiceLifecycle
import UnixSignals

/// Turns signals into actions: SIGTERM and SIGINT start a graceful shutdown (remembering which
/// signal it was for `agent_stop`), SIGHUP reloads the configuration.
public struct ControlService: Service {
    private let context: AgentContext
    private let signals: UnixSignalsSequence
    private let reloader: ConfigurationReloader
    private let shutdown: @Sendable () async -> Void

    /// A control service reading `signals` (trap them before anything starts, so none is missed);
    /// `shutdown` starts the service group's graceful shutdown.
    public init(
        context: AgentContext, signals: UnixSignalsSequence, reloader: ConfigurationReloader,
        shutdown: @escaping @Sendable () async -> Void
    ) {
        self.context = context
        self.signals = signals
        self.reloader = reloader
        self.shutdown = shutdown
    }

    /// Handles signals until graceful shutdown.
    public func run() async {
        for await signal in signals.cancelOnGracefulShutdown() {
            switch signal {
            case .sighup:
                await reloader.reload()
            case .sigterm, .sigint:
                context.stopRequested(by: signal.rawValue)
                context.notifier.stopping()
                await shutdown()
            default:
                break
            }
        }
    }

    /// The signals this service handles; trap them with `UnixSignalsSequence(trapping:)`.
    public static let handledSignals: [UnixSignal] = [.sigterm, .sigint, .sighup]
}

import Synchronization

/// The configuration in effect, replaced as a whole by a successful SIGHUP reload; services
/// read it when they need it and may subscribe to replacements.
public final class ConfigurationStore: Sendable {
    private struct State {
        var configuration: AgentConfiguration
        var subscribers: [AsyncStream<AgentConfiguration>.Continuation] = []
    }

    private let state: Mutex<State>

    /// A store holding `configuration`.
    public init(_ configuration: AgentConfiguration) {
        state = Mutex(State(configuration: configuration))
    }

    /// The configuration in effect.
    public var current: AgentConfiguration { state.withLock { $0.configuration } }

    /// Puts `configuration` in effect and tells every subscriber.
    public func replace(with configuration: AgentConfiguration) {
        let subscribers = state.withLock { state in
            state.configuration = configuration
            return state.subscribers
        }
        for subscriber in subscribers { subscriber.yield(configuration) }
    }

    /// Every configuration put in effect from now on (the latest one if several arrive at once).
    public func replacements() -> AsyncStream<AgentConfiguration> {
        let (stream, continuation) = AsyncStream.makeStream(of: AgentConfiguration.self, bufferingPolicy: .bufferingNewest(1))
        state.withLock { $0.subscribers.append(continuation) }
        return stream
    }
}

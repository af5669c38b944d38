import Reports
import Synchronization
import Telemetry

/// The agent's line sink: hands each line to every configured output (standard output, a
/// rotating file) and never throws, so a full disk or a closed pipe never stops sampling.
///
/// An output that fails is counted and retried with every following line; each change of state
/// (failed, resumed with N lines lost) is reported once on `events` for the output service to
/// turn into records. Totals per output are kept for `agent_stop`.
public final class AgentOutput: LineSink {
    /// A change in an output's health.
    public enum Event: Sendable, Equatable {
        /// The output started failing.
        case failed(output: String, message: String)
        /// The output takes lines again after losing `droppedRecords` of them.
        case resumed(output: String, droppedRecords: Int, failedForS: Double)
    }

    private struct Destination {
        let name: String
        let sink: any LineSink
        var failingSinceNs: UInt64?
        var droppedSinceFailure = 0
    }

    private struct State {
        var destinations: [Destination]
        var droppedTotals: [String: Int]
        var writtenTotals: [String: Int] = [:]
    }

    private let state: Mutex<State>
    private let continuation: AsyncStream<Event>.Continuation
    /// Changes of health, in order; finished by `finish()`.
    public let events: AsyncStream<Event>

    /// An output to `standardOutput` (if given) and `file` (if given).
    public init(standardOutput: (any LineSink)?, file: (any LineSink)?) {
        var destinations: [Destination] = []
        if let standardOutput { destinations.append(Destination(name: "stdout", sink: standardOutput)) }
        if let file { destinations.append(Destination(name: "file", sink: file)) }
        state = Mutex(State(destinations: destinations, droppedTotals: [:]))
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(64))
    }

    // MARK: - Writing

    /// Writes the line to every output; failures are counted and reported, never thrown.
    public func write(line: [UInt8]) {
        state.withLock { state in
            for index in state.destinations.indices {
                let name = state.destinations[index].name
                do {
                    try state.destinations[index].sink.write(line: line)
                    state.writtenTotals[name, default: 0] += 1
                    if let since = state.destinations[index].failingSinceNs {
                        continuation.yield(.resumed(
                            output: name, droppedRecords: state.destinations[index].droppedSinceFailure,
                            failedForS: Double(MonotonicClock.now() - since) / 1e9))
                        state.destinations[index].failingSinceNs = nil
                        state.destinations[index].droppedSinceFailure = 0
                    }
                } catch {
                    if state.destinations[index].failingSinceNs == nil {
                        state.destinations[index].failingSinceNs = MonotonicClock.now()
                        continuation.yield(.failed(output: name, message: "\(error)"))
                    }
                    state.destinations[index].droppedSinceFailure += 1
                    state.droppedTotals[name, default: 0] += 1
                }
            }
        }
    }

    /// Replaces the file output (after a reload); the standard output keeps its state.
    public func replaceFile(with file: (any LineSink)?) {
        state.withLock { state in
            state.destinations.removeAll { $0.name == "file" }
            if let file { state.destinations.append(Destination(name: "file", sink: file)) }
        }
    }

    /// Replaces the standard output (after a reload that turns it on or off).
    public func replaceStandardOutput(with standardOutput: (any LineSink)?) {
        state.withLock { state in
            state.destinations.removeAll { $0.name == "stdout" }
            if let standardOutput { state.destinations.insert(Destination(name: "stdout", sink: standardOutput), at: 0) }
        }
    }

    /// Lines each output could not take over the whole run; every configured output is listed.
    public var droppedRecords: [String: Int] {
        state.withLock { state in
            var totals = state.droppedTotals
            for destination in state.destinations where totals[destination.name] == nil { totals[destination.name] = 0 }
            return totals
        }
    }

    /// Lines each output took over the whole run; every configured output is listed.
    public var writtenRecords: [String: Int] {
        state.withLock { state in
            var totals = state.writtenTotals
            for destination in state.destinations where totals[destination.name] == nil { totals[destination.name] = 0 }
            return totals
        }
    }

    /// Forces file output to stable storage.
    public func synchronize() {
        state.withLock { state in
            for destination in state.destinations {
                (destination.sink as? RotatingFileSink)?.synchronize()
            }
        }
    }

    /// Ends `events`, once nothing more will be written.
    public func finish() {
        continuation.finish()
    }
}

import MetricsExposition
import Reports
import Synchronization
import Telemetry

/// The agent's live Prometheus view: the latest sample, the scheduled suites' last results and
/// the agent's totals, kept under one short lock. `snapshot()` copies them out; the exposition
/// is built and written outside the lock, so a scrape (on the metrics server's thread) or a
/// textfile write costs the sampling thread no more than that copy.
public final class AgentMetrics: Sendable {
    private struct State {
        var sample: Sample?
        var suites = SuiteResults()
        var figures: AgentFigures
        var textfileFailing = false
    }

    private let state: Mutex<State>
    private let output: AgentOutput

    /// Metrics of an agent running `configuration`, whose outputs are `output`.
    public init(configuration: AgentConfiguration, edgeprobeVersion: String, throttleLimitC: Double?, output: AgentOutput) {
        self.output = output
        state = Mutex(State(figures: AgentFigures(
            version: edgeprobeVersion, board: configuration.board, throttleLimitC: throttleLimitC,
            samplingIntervalS: configuration.samplingIntervalS, startTimeS: RecordTimestamp.now())))
    }

    // MARK: - What happened

    /// The sample just written.
    public func record(_ sample: Sample) {
        let now = RecordTimestamp.now()
        state.withLock { state in
            state.sample = sample
            state.figures.samples += 1
            state.figures.lastSampleS = now
        }
    }

    /// One line of the output of `suite`'s `edgeprobe bench` child (read before taking the lock).
    public func observe(suiteLine line: [UInt8], suite: String) {
        guard let record = JSONLineValue(line: line) else { return }
        state.withLock { $0.suites.observe(record: record, suite: suite) }
    }

    /// A run of `suite` ended: `completed`, `interrupted` or `failed`.
    public func suiteEnded(_ suite: String, outcome: String) {
        state.withLock { $0.figures.suiteRuns[suite, default: [:]][outcome, default: 0] += 1 }
    }

    /// A due run was postponed; each reason it gives is counted (`cpu_busy`, `cpu_unknown`, `too_hot`).
    public func postponed(_ record: AgentPostponeRecord) {
        var reasons: [String] = []
        if let busy = record.cpuBusyPct {
            if busy > record.maxCpuBusyPct { reasons.append("cpu_busy") }
        } else {
            reasons.append("cpu_unknown")
        }
        if let temperature = record.tempC, temperature > record.maxTempC { reasons.append("too_hot") }
        state.withLock { state in
            for reason in reasons { state.figures.suitePostponements[record.suite, default: [:]][reason, default: 0] += 1 }
        }
    }

    /// A reload put `configuration` in effect, with `throttleLimitC` from its board profile.
    public func reloaded(_ configuration: AgentConfiguration, throttleLimitC: Double?) {
        state.withLock { state in
            state.figures.reloads += 1
            state.figures.board = configuration.board
            state.figures.throttleLimitC = throttleLimitC
            state.figures.samplingIntervalS = configuration.samplingIntervalS
        }
    }

    /// A reload was refused.
    public func reloadFailed() {
        state.withLock { $0.figures.reloadFailures += 1 }
    }

    // MARK: - The exposition

    /// Everything the exposition is made of, now.
    public func snapshot() -> MetricsSnapshot {
        let written = output.writtenRecords
        let dropped = output.droppedRecords
        var snapshot = state.withLock { MetricsSnapshot(sample: $0.sample, suites: $0.suites, agent: $0.figures) }
        snapshot.agent.recordsWritten = written
        snapshot.agent.recordsDropped = dropped
        return snapshot
    }

    /// The exposition text, now.
    public func render() -> [UInt8] {
        snapshot().registry().render()
    }

    /// Rewrites `writer`'s file with the exposition. Returns the problem when this write failed
    /// and the previous one did not (one error record per failing stretch), else `nil`.
    func writeTextfile(_ writer: TextfileWriter) -> String? {
        do {
            try writer.write(render())
            state.withLock { $0.textfileFailing = false }
            return nil
        } catch {
            return state.withLock { state in
                state.figures.textfileFailures += 1
                defer { state.textfileFailing = true }
                return state.textfileFailing ? nil : error.description
            }
        }
    }
}

import Glibc
import Reports
import Synchronization
import Telemetry

/// What every agent service shares: the record writers, the outputs, systemd, the configuration
/// in effect, the latest board conditions and the run's counters.
public final class AgentContext: Sendable {
    /// Counters reported in `agent_stop`.
    public struct Counters: Sendable, Equatable {
        /// `sample` records written.
        public var samples = 0
        /// Scheduled suite runs started.
        public var benchmarkRuns = 0
        /// Whether a running suite was cut short by the shutdown.
        public var benchmarkInterrupted = false
    }

    /// Records for the outputs (standard output and/or the rotating file).
    public let writer: RecordWriter
    /// Error records for standard error (journald's priority 3 under systemd). Its `seq` counts
    /// the lines of standard error, the main writer's those of the outputs.
    public let errorWriter: RecordWriter
    /// The outputs behind `writer`.
    public let output: AgentOutput
    /// The systemd notification client (inert outside systemd).
    public let notifier: SystemdNotifier
    /// The configuration in effect.
    public let configuration: ConfigurationStore
    /// edgeprobe's version, for records.
    public let edgeprobeVersion: String
    /// The Prometheus view (served by `MetricsService`, written to the textfile after each sample).
    public let metrics: AgentMetrics

    private let startedNs = MonotonicClock.now()
    private let counters = Mutex(Counters())
    private let conditions = Mutex<BoardConditions?>(nil)
    private let stopSignal = Atomic<Int32>(0)
    private let idleMemoryReleaseSample = Atomic<Int>(2)
    private let codePagesReleaseSample = Atomic<Int>(0)
    private let stopWritten = Atomic<Bool>(false)

    /// A context writing through `output`.
    public init(
        configuration: AgentConfiguration, output: AgentOutput, notifier: SystemdNotifier, edgeprobeVersion: String,
        runContext: RunContext = .current(), errorSink: any LineSink = FileDescriptorSink.standardError,
        throttleLimitC: Double? = nil
    ) {
        self.configuration = ConfigurationStore(configuration)
        self.output = output
        self.notifier = notifier
        self.edgeprobeVersion = edgeprobeVersion
        metrics = AgentMetrics(
            configuration: configuration, edgeprobeVersion: edgeprobeVersion, throttleLimitC: throttleLimitC, output: output)
        writer = RecordWriter(context: runContext, sink: output)
        errorWriter = RecordWriter(context: runContext, sink: errorSink)
    }

    // MARK: - Records

    /// Writes a record to the outputs; a record that cannot even be encoded is reported on stderr.
    public func write<R: Record>(_ record: R) {
        do {
            try writer.write(record)
        } catch {
            report(AgentErrorRecord(source: "encode", message: "cannot encode a \(R.recordType) record: \(error)", action: "record skipped"))
        }
    }

    /// Writes an error record to standard error and to the outputs.
    public func report(_ error: AgentErrorRecord) {
        try? errorWriter.write(error)
        try? writer.write(error)
    }

    // MARK: - State

    /// Counts and remembers a sample's conditions.
    public func recordSample(_ conditions: BoardConditions) {
        counters.withLock { $0.samples += 1 }
        self.conditions.withLock { $0 = conditions }
    }

    /// The conditions at the latest sample, `nil` before the first.
    public var latestConditions: BoardConditions? { conditions.withLock { $0 } }

    /// Updates the counters.
    public func updateCounters(_ body: (inout Counters) -> Void) {
        counters.withLock { body(&$0) }
    }

    /// The counters so far.
    public var currentCounters: Counters { counters.withLock { $0 } }

    /// Asks the sampling loop to give back idle memory (`ResidentCode.releaseIdleMemory`) two
    /// samples from now: by then whoever asked (the scheduler after a suite) is asleep, so the
    /// code it ran on the way there is dropped too instead of staying resident for hours.
    /// Start-up asks for the second sample.
    public func releaseIdleMemorySoon() {
        idleMemoryReleaseSample.store(currentCounters.samples + 2, ordering: .relaxed)
    }

    /// Whether the sample just counted is the one to give back idle memory after.
    func isIdleMemoryReleaseDue() -> Bool {
        currentCounters.samples == idleMemoryReleaseSample.load(ordering: .relaxed)
    }

    /// Asks the sampling loop to drop clean code pages again (`ResidentCode.dropCodePagesAgain`)
    /// two samples from now: a scrape of `/metrics` runs code no sampling tick does, and at one
    /// scrape every 15 s it would otherwise stay resident. A scrape within those two samples
    /// postpones the drop, so scrapes every second cause no churn.
    public func releaseCodePagesSoon() {
        codePagesReleaseSample.store(currentCounters.samples + 2, ordering: .relaxed)
    }

    /// Whether the sample just counted is the one to drop code pages after.
    func isCodePagesReleaseDue() -> Bool {
        currentCounters.samples == codePagesReleaseSample.load(ordering: .relaxed)
    }

    /// Remembers the signal that asked the agent to stop (the first one wins).
    public func stopRequested(by signal: Int32) {
        _ = stopSignal.compareExchange(expected: 0, desired: signal, ordering: .relaxed)
    }

    /// Seconds since the agent started.
    public var uptimeS: Double { Double(MonotonicClock.now() - startedNs) / 1e9 }

    /// Writes `agent_stop` once, after everything else, and syncs the file output.
    public func writeStopRecord(error: Bool) {
        guard stopWritten.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let signal = stopSignal.load(ordering: .relaxed)
        let reason = error ? "error" : Self.signalName(signal)
        let counts = currentCounters
        write(AgentStopRecord(
            reason: reason, uptimeS: (uptimeS * 1000).rounded() / 1000, samples: counts.samples,
            benchmarkRuns: counts.benchmarkRuns, benchmarkInterrupted: counts.benchmarkInterrupted,
            droppedRecords: output.droppedRecords))
        output.synchronize()
    }

    /// `SIGTERM`, `SIGINT`, `SIGHUP`, or `signal N`; `none` for 0.
    public static func signalName(_ number: Int32) -> String {
        switch number {
        case 0: "none"
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}

import Glibc
import Harness
import LatencyService
import Reports
import ServiceLifecycle
import Telemetry

/// Runs the configured suites on their schedule, each only while the board is idle and cool:
/// when a suite is due and the latest sample shows CPU utilization or the hottest sensor above
/// its limits, an `agent_postpone` record says why and the suite is checked again after
/// `retry_after`. Until the second sample (utilization needs two readings) a due suite waits
/// quietly.
///
/// A due suite first waits for the board's `MeasurementGate` (shared with the latency service
/// when the agent hosts it), so a suite never runs beside a latency request; the conditions are
/// checked once the board is free, and the gate is held until the suite ends.
///
/// A suite runs on a thread of its own with its own telemetry sampler; graceful shutdown raises
/// its `StopFlag`, so it stops between two iterations and writes `run_end` with
/// `"interrupted": true` before the agent writes `agent_stop`.
public struct SchedulerService: Service {
    private let context: AgentContext
    private let locator: ProfileLocator
    private let benchSampleInterval: Duration
    private let gate: MeasurementGate

    /// A scheduler for `context`, finding profiles with `locator`; suites sample telemetry every
    /// `benchSampleInterval` while they run and hold `gate` (the board) while they do.
    public init(
        context: AgentContext, locator: ProfileLocator, gate: MeasurementGate = MeasurementGate(),
        benchSampleInterval: Duration = .milliseconds(100)
    ) {
        self.context = context
        self.locator = locator
        self.gate = gate
        self.benchSampleInterval = benchSampleInterval
    }

    /// Schedules suites until graceful shutdown. The configuration in effect is re-read at
    /// every wake-up (at least once a second while anything is scheduled, and at every reload
    /// otherwise), so a reload takes effect within a second.
    public func run() async {
        let clock = ContinuousClock()
        let replacements = context.configuration.replacements()
        var plan = SchedulePlan(schedule: context.configuration.current.schedule, now: clock.now)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = context.configuration.current
            if configuration.schedule != plan.schedule {
                plan.replace(with: configuration.schedule, now: clock.now)
            }
            if plan.schedule.isEmpty {
                // Nothing to schedule: sleep until a reload (or shutdown) instead of waking every second.
                for await _ in replacements.cancelOnGracefulShutdown() { break }
                continue
            }
            guard let next = plan.next(), next.due <= clock.now else {
                let wake = min(plan.next()?.due ?? clock.now + .seconds(1), clock.now + .seconds(1))
                try? await cancelWhenGracefulShutdown { try await Task.sleep(until: wake, clock: clock) }
                continue
            }
            let entry = plan.schedule[next.index]
            if context.currentCounters.samples < 2 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            // Wait for a running latency request (and those queued before) to finish; graceful
            // shutdown cancels the wait.
            let gate = self.gate
            let admission = await cancelWhenGracefulShutdown { await gate.enter(as: .schedule) }
            guard admission == .admitted else { continue }
            if let postponement = Self.postponement(entry, conditions: context.latestConditions) {
                await gate.leave()
                plan.postpone(next.index, until: clock.now + .seconds(entry.retryAfterS))
                context.write(postponement)
                continue
            }
            await runSuite(entry, configuration: configuration)
            await gate.leave()
            plan.ran(next.index, now: clock.now)
            // Idle again for hours: return the suite's freed buffers and drop the code pages its
            // kernels touched.
            ResidentCode.releaseIdleMemory()
        }
    }

    // MARK: - Conditions

    /// The record saying why `entry` must wait, or `nil` when the board is idle and cool enough.
    /// An unknown temperature (a board without sensors) does not hold a suite back; an unknown
    /// CPU utilization does.
    static func postponement(_ entry: AgentConfiguration.ScheduledSuite, conditions: BoardConditions?) -> AgentPostponeRecord? {
        var reasons: [String] = []
        let busy = conditions?.cpuBusyPct
        let hottest = conditions?.hottestC
        if let busy {
            if busy > entry.maxCpuBusyPct {
                reasons.append("CPU \(Self.rounded(busy))% busy, above max_cpu_busy_pct \(Self.rounded(entry.maxCpuBusyPct))%")
            }
        } else {
            reasons.append("CPU utilization unavailable")
        }
        if let hottest, hottest > entry.maxTempC {
            reasons.append("hottest sensor at \(Self.rounded(hottest)) C, above max_temp_c \(Self.rounded(entry.maxTempC)) C")
        }
        guard !reasons.isEmpty else { return nil }
        var unavailable: [String: String] = [:]
        if busy == nil { unavailable["cpu_busy_pct"] = conditions?.unavailable["cpu.utilization"] ?? "no sample yet" }
        if hottest == nil { unavailable["temp_c"] = conditions?.unavailable["temperatures"] ?? "no temperature sensor" }
        return AgentPostponeRecord(
            suite: entry.suite, reason: reasons.joined(separator: "; "), cpuBusyPct: busy,
            maxCpuBusyPct: entry.maxCpuBusyPct, tempC: hottest, maxTempC: entry.maxTempC,
            retryInS: entry.retryAfterS, unavailable: unavailable)
    }

    private static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }

    // MARK: - Running

    /// Raises the calling thread back to nice 0 when the agent runs niced (`Nice=10` in the
    /// unit), so the benchmark competes like any normal process; `LimitNICE=+0` allows this
    /// without a capability. Returns why it could not, or `nil`.
    static func runAtNormalPriority() -> String? {
        let thread: id_t = 0  // on Linux, PRIO_PROCESS with 0 means the calling thread only
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread)
        guard errno == 0, current > 0 else { return nil }
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), thread, 0) == 0 else {
            return "cannot raise the benchmark thread from nice \(current) to 0: \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// Runs one suite to its end, or until graceful shutdown stops it between iterations.
    private func runSuite(_ entry: AgentConfiguration.ScheduledSuite, configuration: AgentConfiguration) async {
        let context = self.context
        let profiles: AgentConfiguration.Profiles
        do {
            let single = AgentConfiguration(
                path: configuration.path, samplingIntervalS: configuration.samplingIntervalS, board: configuration.board,
                outputs: configuration.outputs, schedule: [entry])
            profiles = try single.loadProfiles(locator: locator)
        } catch {
            context.report(AgentErrorRecord(
                source: "schedule", message: error.description, action: "skipping this run of \(entry.suite)"))
            return
        }
        let suite = profiles.suites[0]
        let board = profiles.board
        let options = BenchOptions(
            threads: board.threads, cpus: board.cpus,
            measurement: MeasurementPolicy(warmupIterations: entry.warmup, minIterations: entry.minIterations, minTimeS: entry.minTimeS),
            cooldownToC: nil, cooldownTimeoutS: board.cooldownTimeoutS,
            sampleIntervalMs: Int(benchSampleInterval.components.seconds * 1000 + benchSampleInterval.components.attoseconds / 1_000_000_000_000_000),
            seed: 1)
        let stopFlag = StopFlag()
        let interval = benchSampleInterval
        let version = context.edgeprobeVersion
        context.updateCounters { $0.benchmarkRuns += 1 }
        let outcome: Result<SuiteRunner.Outcome, any Error> = await withGracefulShutdownHandler {
            await BlockingThread.run { () -> Result<SuiteRunner.Outcome, any Error> in
                if let problem = Self.runAtNormalPriority() {
                    context.report(AgentErrorRecord(
                        source: "schedule", message: problem,
                        action: "the suite runs at the agent's lower priority: other work on the board can slow it"))
                }
                return Result {
                    let telemetry = try SampledTelemetry(interval: interval)
                    try context.writer.write(RunStartRecord.make(
                        version: version, board: board, suite: suite, options: options, sample: telemetry.latestSample))
                    return try SuiteRunner(
                        suite: suite, board: board, options: options, writer: context.writer, telemetry: telemetry,
                        stopFlag: stopFlag, progress: nil
                    ).run()
                }
            }
        } onGracefulShutdown: {
            stopFlag.raise(signal: SIGTERM)
        }
        switch outcome {
        case .success(let result):
            if result.end?.interrupted == true { context.updateCounters { $0.benchmarkInterrupted = true } }
        case .failure(let error):
            context.report(AgentErrorRecord(
                source: "schedule", message: "\(entry.suite): \(error)", action: "next run at its usual time"))
        }
    }
}

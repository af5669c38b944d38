import BoardLock
import Glibc
import Reports
import ServiceLifecycle
import SystemErrors

/// Runs the configured suites on their schedule, each only while the board is idle and cool:
/// when a suite is due and the latest sample shows CPU utilization or the hottest sensor above
/// its limits, an `agent_postpone` record says why and the suite is checked again after
/// `retry_after`. Until the second sample (utilization needs two readings) a due suite waits
/// quietly.
///
/// A suite runs as a child process, `edgeprobe bench` (a `soak:` entry as `edgeprobe soak`; see
/// `EdgeprobeExecutable`), whose JSON lines go to the agent's outputs as they come; they carry the child's own `run_id` and `seq`.
/// When the agent hosts the latency service, a due suite first takes the board lock (shared
/// with the service's child process), so a suite never runs beside a latency request; the
/// conditions are checked once the board is free, and the lock is held until the suite ends.
///
/// Graceful shutdown sends the child SIGTERM: it stops between two iterations and writes
/// `run_end` with `"interrupted": true` before the agent writes `agent_stop`.
public struct SchedulerService: Service {
    private let context: AgentContext
    private let executable: EdgeprobeExecutable
    private let benchSampleInterval: Duration
    private let boardLock: BoardLock?

    /// A scheduler for `context`, running suites with `executable`; suites sample telemetry every
    /// `benchSampleInterval` while they run and hold `boardLock` (when given) while they do.
    public init(
        context: AgentContext, executable: EdgeprobeExecutable, boardLock: BoardLock? = nil,
        benchSampleInterval: Duration = .milliseconds(100)
    ) {
        self.context = context
        self.executable = executable
        self.boardLock = boardLock
        self.benchSampleInterval = benchSampleInterval
    }

    /// Schedules suites until graceful shutdown. Between suites it sleeps until the next one is
    /// due or a reload replaces the configuration, whichever comes first.
    public func run() async {
        let alarm = Alarm()
        let replacements = context.configuration.replacements()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in replacements.cancelOnGracefulShutdown() { alarm.ring() }
            }
            await schedule(waitingWith: alarm)
            group.cancelAll()
        }
    }

    private func schedule(waitingWith alarm: Alarm) async {
        let clock = ContinuousClock()
        var plan = SchedulePlan(schedule: context.configuration.current.schedule, now: clock.now)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let configuration = context.configuration.current
            if configuration.schedule != plan.schedule {
                plan.replace(with: configuration.schedule, now: clock.now)
            }
            guard let next = plan.next(), next.due <= clock.now else {
                // Nothing due: sleep until something is (forever with an empty schedule), a
                // reload or the shutdown.
                let due = plan.next()?.due
                await cancelWhenGracefulShutdown { await alarm.sleep(until: due) }
                continue
            }
            let entry = plan.schedule[next.index]
            if context.currentCounters.samples < 2 {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            // Wait for a running latency request to finish; graceful shutdown cancels the wait.
            if let boardLock {
                let admitted = await cancelWhenGracefulShutdown { await boardLock.acquire(deadline: nil) }
                guard admitted == true else { continue }
            }
            if let postponement = Self.postponement(entry, conditions: context.latestConditions) {
                boardLock?.release()
                plan.postpone(next.index, until: clock.now + .seconds(entry.retryAfterS))
                context.write(postponement)
                context.metrics.postponed(postponement)
                continue
            }
            await runSuite(entry, board: configuration.board)
            boardLock?.release()
            plan.ran(next.index, now: clock.now)
            // Idle again for hours: give back what starting the suite and forwarding its lines
            // touched, once this loop is asleep again.
            context.releaseIdleMemorySoon()
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
            suite: entry.suite, job: entry.soak == nil ? "suite" : "soak", reason: reasons.joined(separator: "; "), cpuBusyPct: busy,
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
            return "cannot raise the benchmark thread from nice \(current) to 0: \(SystemError.current.description)"
        }
        return nil
    }

    /// Runs one suite to its end, or until graceful shutdown stops it between iterations.
    private func runSuite(_ entry: AgentConfiguration.ScheduledSuite, board: String) async {
        let context = self.context
        let arguments = executable.benchArguments(entry, board: board, sampleInterval: benchSampleInterval)
        let path = executable.path
        let slot = ChildProcessSlot()
        context.updateCounters { $0.benchmarkRuns += 1 }
        let outcome = await withGracefulShutdownHandler {
            await BlockingThread.run { () -> Result<ChildProcess.Termination, ChildProcessError> in
                // The child inherits this thread's priority.
                if let problem = Self.runAtNormalPriority() {
                    context.report(AgentErrorRecord(
                        source: "schedule", message: problem,
                        action: "the suite runs at the agent's lower priority: other work on the board can slow it"))
                }
                return Result { () throws(ChildProcessError) in
                    let child = try ChildProcess(executable: path, arguments: arguments)
                    slot.attach(child)
                    child.forEachLine { line in
                        context.output.write(line: line)
                        context.metrics.observe(suiteLine: line, suite: entry.suite)
                    }
                    child.waitUntilExited()
                    slot.detach()
                    return child.reap()
                }
            }
        } onGracefulShutdown: {
            slot.stop()
        }
        switch outcome {
        case .success(.exited(0)):
            context.metrics.suiteEnded(entry.suite, outcome: "completed")
        case .success(.exited(let status)) where status == 128 + SIGTERM && slot.wasStopped:
            // `edgeprobe bench` and `soak` exit with 128 + the signal that stopped them, after `run_end`.
            context.updateCounters { $0.benchmarkInterrupted = true }
            context.metrics.suiteEnded(entry.suite, outcome: "interrupted")
        case .success(let termination):
            context.metrics.suiteEnded(entry.suite, outcome: "failed")
            context.report(AgentErrorRecord(
                source: "schedule", message: "\(entry.suite): edgeprobe \(entry.soak == nil ? "bench" : "soak") \(termination)",
                action: "next run at its usual time"))
        case .failure(let error):
            context.metrics.suiteEnded(entry.suite, outcome: "failed")
            context.report(AgentErrorRecord(
                source: "schedule", message: "\(entry.suite): \(error)", action: "next run at its usual time"))
        }
    }
}

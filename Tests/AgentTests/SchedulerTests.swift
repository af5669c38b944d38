import Glibc
import Testing
@testable import Agent

@Suite(.timeLimit(.minutes(3))) struct SchedulerTests {
    private let entry = AgentConfiguration.ScheduledSuite(
        suite: "conv-default", everyS: 3600, maxCpuBusyPct: 25, maxTempC: 70, retryAfterS: 300,
        minTimeS: 1, warmup: 5, minIterations: 20)

    // MARK: - Idle and cool

    @Test func anIdleCoolBoardRunsTheSuite() {
        let conditions = BoardConditions(cpuBusyPct: 25, hottestC: 70, unavailable: [:])
        #expect(SchedulerService.postponement(entry, conditions: conditions) == nil, "limits are inclusive")
    }

    @Test func aBusyBoardPostponesWithTheFigureAndTheLimit() throws {
        let conditions = BoardConditions(cpuBusyPct: 62.34, hottestC: 50, unavailable: [:])
        let record = try #require(SchedulerService.postponement(entry, conditions: conditions))
        #expect(record.reason == "CPU 62.3% busy, above max_cpu_busy_pct 25.0%")
        #expect(record.cpuBusyPct == 62.34)
        #expect(record.tempC == 50)
        #expect(record.retryInS == 300)
        #expect(record.unavailable.isEmpty)
    }

    @Test func aHotBoardPostponesAndBothReasonsAreGiven() throws {
        let conditions = BoardConditions(cpuBusyPct: 30, hottestC: 81, unavailable: [:])
        let record = try #require(SchedulerService.postponement(entry, conditions: conditions))
        #expect(record.reason == "CPU 30.0% busy, above max_cpu_busy_pct 25.0%; hottest sensor at 81.0 C, above max_temp_c 70.0 C")
    }

    @Test func noSensorDoesNotHoldBackButUnknownUtilizationDoes() throws {
        let noSensor = BoardConditions(cpuBusyPct: 3, hottestC: nil, unavailable: ["temperatures": "no hwmon or thermal zone"])
        #expect(SchedulerService.postponement(entry, conditions: noSensor) == nil)
        let noUtilization = BoardConditions(cpuBusyPct: nil, hottestC: 40, unavailable: ["cpu.utilization": "no /proc/stat"])
        let record = try #require(SchedulerService.postponement(entry, conditions: noUtilization))
        #expect(record.reason == "CPU utilization unavailable")
        #expect(record.unavailable == ["cpu_busy_pct": "no /proc/stat"])
    }

    // MARK: - Plan

    @Test func firstRunIsDueAtStartThenEveryIntervalOrAfterRetry() throws {
        let start = ContinuousClock.now
        var plan = SchedulePlan(schedule: [entry], now: start)
        #expect(plan.next()?.due == start)
        plan.postpone(0, until: start + .seconds(300))
        #expect(plan.next()?.due == start + .seconds(300))
        plan.ran(0, now: start + .seconds(310))
        #expect(plan.next()?.due == start + .seconds(3910))
    }

    @Test func aReloadKeepsUnchangedEntriesAndMakesNewOnesDueNow() throws {
        let start = ContinuousClock.now
        var plan = SchedulePlan(schedule: [entry], now: start)
        plan.ran(0, now: start)
        var other = entry
        other.suite = "other"
        plan.replace(with: [other, entry], now: start + .seconds(10))
        #expect(plan.next()?.index == 0)
        #expect(plan.next()?.due == start + .seconds(10))
        plan.ran(0, now: start + .seconds(10))
        #expect(plan.next()?.index == 1)
        #expect(plan.next()?.due == start + .seconds(3600), "the unchanged entry keeps its due time")
    }

    @Test func anEmptyScheduleHasNothingDue() {
        #expect(SchedulePlan(schedule: [], now: .now).next() == nil)
    }

    // MARK: - Priority

    /// The agent runs at Nice=10 under systemd; a benchmark thread goes back to nice 0 (root, or
    /// LimitNICE=+0, may do that), leaving the rest of the process niced.
    @Test func aNicedBenchmarkThreadReturnsToNiceZero() async {
        let before = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        let (problem, niced, after) = await BlockingThread.run { () -> (String?, Int32, Int32) in
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            let niced = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let problem = SchedulerService.runAtNormalPriority()
            return (problem, niced, getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0))
        }
        #expect(niced == 10)
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(__RLIMIT_NICE.rawValue), &limit)
        if getuid() == 0 || limit.rlim_cur >= 20 {
            #expect(problem == nil)
            #expect(after == 0)
        } else {
            #expect(problem?.contains("cannot raise the benchmark thread from nice 10 to 0") == true)
        }
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == before, "only the benchmark thread changed")
    }
}

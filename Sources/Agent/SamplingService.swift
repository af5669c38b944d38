import MetricsExposition
import ServiceLifecycle
import Telemetry

/// Samples the board at the configured interval on a dedicated thread (libsensors and libproc2
/// keep unlocked global state, so one thread owns them) and writes a `sample` record per tick.
///
/// The sampling loop itself tells systemd it is alive (`WATCHDOG=1` after every sample when
/// the watchdog is on) and sends `READY=1` once the collectors gave their first sample. A
/// reload that changes the interval restarts the thread; other reloads leave it running.
/// After the second sample it drops the clean pages start-up touched (`ResidentCode`), and
/// again when asked to after a suite; after a scrape of `/metrics` only the code pages, cheaply. With `metrics.textfile` it rewrites that file after every
/// sample; a failing write (the directory removed) is reported once and retried every sample.
public struct SamplingService: Service {
    private let context: AgentContext
    private let root: String

    /// A sampling service for `context`, reading `/proc` and `/sys` under `root`.
    public init(context: AgentContext, root: String = "/") {
        self.context = context
        self.root = root
    }

    /// Samples until graceful shutdown.
    /// - Throws: `SamplingThreadError` when the thread cannot start.
    public func run() async throws {
        let replacements = context.configuration.replacements()
        var interval = context.configuration.current.samplingIntervalS
        while true {
            let thread = try startThread(intervalS: interval)
            var changed = false
            for await configuration in replacements.cancelOnGracefulShutdown()
            where configuration.samplingIntervalS != interval {
                interval = configuration.samplingIntervalS
                changed = true
                break
            }
            thread.stop()
            if !changed { return }
        }
    }

    private func startThread(intervalS: Double) throws -> SamplingThread {
        let context = self.context
        let interval = Duration.nanoseconds(Int64((intervalS * 1e9).rounded()))
        let textfile = context.configuration.current.metrics?.textfile.map(TextfileWriter.init(path:))
        return try SamplingThread(interval: interval, root: root) { sample in
            let first = context.currentCounters.samples == 0
            context.write(sample)
            context.recordSample(BoardConditions(
                cpuBusyPct: sample.cpu.busyPct, hottestC: sample.hottestC, unavailable: sample.unavailable))
            context.metrics.record(sample)
            if let textfile, let problem = context.metrics.writeTextfile(textfile) {
                context.report(AgentErrorRecord(
                    source: "metrics.textfile", message: problem,
                    action: "sampling continues; the file is written again after every sample"))
            }
            if first { context.notifier.ready(status: "sampling every \(intervalS) s") }
            // Start-up is over once the second sample (the first with utilization) is out and
            // every path of the loop has run once: give back start-up's heap and clean pages.
            // The same after a suite (`AgentContext.releaseIdleMemorySoon`).
            if context.isIdleMemoryReleaseDue() {
                ResidentCode.releaseIdleMemory()
            } else if context.isCodePagesReleaseDue() {
                ResidentCode.dropCodePagesAgain()
            }
            if context.notifier.watchdogIntervalUs != nil { context.notifier.watchdog() }
        }
    }
}

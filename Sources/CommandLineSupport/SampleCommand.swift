import ArgumentParser
import Reports
import Telemetry
import Quantities

/// `edgeprobe sample`: one `sample` record per tick as a JSON line.
///
/// Runs in the `edgeprobe-sample` executable when it is installed (see `EdgeprobeProgram`).
public struct SampleCommand: ParsableCommand {
    /// The defaults: one sample a second until stopped, to standard output.
    public init() {}

    public static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample CPU, memory, temperatures, frequencies and throttling as JSON lines.",
        discussion: """
            Writes one "sample" record per tick to standard output (or --output), each line \
            flushed as it is written. The first record has no CPU utilization (it needs two \
            readings): its *_pct fields are null and "unavailable" says why. Figures the board \
            cannot give are null with a reason, never 0. SIGINT or SIGTERM stop sampling after \
            the current line; the exit status is then 0.

            Examples:
              edgeprobe sample --count 5
              edgeprobe sample --interval 500ms --count 20 --output samples.jsonl
              edgeprobe sample --interval 2m            # until Ctrl-C or SIGTERM
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Time between samples: 500ms, 1s, 1.5s, 2m (a bare number is seconds).", valueName: "duration"))
    var interval = DurationArgument(.seconds(1))

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Samples to write; 0 runs until SIGINT or SIGTERM.", valueName: "n"))
    var count: Int = 0

    @Option(help: ArgumentHelp(
        "Read /proc and /sys under this directory instead of the live system (copied trees, tests).",
        valueName: "path"))
    var root: String = "/"

    @OptionGroup var output: OutputOptions

    public func validate() throws {
        guard interval.duration > .zero else {
            throw ValidationError("--interval: must be greater than zero, got '\(interval)'")
        }
        guard count >= 0 else {
            throw ValidationError("--count: must be 0 (run until stopped) or more, got \(count)")
        }
        try FilesystemRoot.validate(root)
    }

    public func run() throws {
        ProcessHandOff.handOff(to: .sample)
        let intervalNs = UInt64(DurationText.nanoseconds(interval.duration))
        let writer = try output.makeWriter()
        ResidentHeap.useOneArena()
        let wakeup = try WakeupPipe()
        TerminationSignals.wake(wakeup)
        let sampler = Sampler(root: root)
        var schedule = SamplingSchedule(intervalNs: intervalNs, startNs: MonotonicClock.now())
        var written = 0
        while true {
            do {
                try writer.write(sampler.read())
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
            written += 1
            if count > 0 && written >= count { return }
            // Start-up is over once the second line is out (the first with utilization, so every
            // path of the loop has run once): give back start-up's heap and clean pages.
            if written == 2 { ResidentCode.releaseIdleMemory() }
            if wakeup.wait(until: schedule.next(after: MonotonicClock.now())) { return }
        }
    }
}

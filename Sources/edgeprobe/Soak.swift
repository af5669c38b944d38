import ArgumentParser
import CommandLineSupport
import Engines
import Measurement
import Profiles
import Reports
import Soak
import Telemetry

extension EdgeProbe {
    /// `edgeprobe soak`: one workload for minutes, window by window, burst against sustained.
    struct Soak: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one workload continuously and report, window by window, how the board holds up.",
            discussion: """
                Cools the board to the profile's cooldown_to_c, warms up, then runs the workload \
                for --duration in windows of --window. Writes one `window` record per window \
                (latency, CPU busy, temperatures, frequencies, throttling and its cause, power), \
                then a `soak` summary (burst vs sustained p50, time to throttle, heating rate, \
                whole-run p90, MLPerf SingleStream minimums, energy per inference) and run_end. \
                A line per window goes to standard error on a terminal. SIGINT/SIGTERM keep every \
                finished window, write the summary marked interrupted and exit 130/143.

                --engine both runs the workload on edgeprobe's kernels and on XNNPACK's in turns \
                through every window, so both meet the same heat: each window gives a record per \
                engine with the ratio edgeprobe p50 / XNNPACK p50, and the soak a summary per \
                engine. Compressed --variant networks run on edgeprobe's kernels only.

                Examples:
                  edgeprobe soak
                  edgeprobe soak --board raspberry-pi-4 --duration 15m --rate 30/s
                  edgeprobe soak --arch mobilenet-v2-96 --variant int8 --cpus big
                  edgeprobe soak --suite conv-default --layer depthwise3x3-128-56 --format table
                  edgeprobe soak --arch mobilenet-v2-96 --engine both --duration 5m
                """)

        @Option(help: ArgumentHelp("Total time of the measured windows, e.g. 10m, 90s.", valueName: "duration"))
        var duration = DurationArgument(.seconds(600))

        @Option(help: ArgumentHelp("Length of one window, e.g. 10s.", valueName: "duration"))
        var window = DurationArgument(.seconds(10))

        @Option(help: ArgumentHelp("Architecture name in Profiles/archs, or a path (a network with seeded random weights).", valueName: "name|path"))
        var arch: String?

        @Option(help: ArgumentHelp("A compressed variant of --arch, as `compress` builds them: original, pruned, int8, shared-4bit, pruned+shared+huffman.", valueName: "name"))
        var variant: String?

        @Option(help: ArgumentHelp("Suite name in Profiles/suites, or a path; with --layer, soak that one layer.", valueName: "name|path"))
        var suite: String?

        @Option(help: ArgumentHelp("The suite layer to soak.", valueName: "name"))
        var layer: String?

        @Option(help: ArgumentHelp("Start inferences at a fixed rate, e.g. 30/s (default: back to back).", valueName: "N/s"))
        var rate: RateArgument?

        @OptionGroup var cooldown: CooldownOptions

        @OptionGroup var engines: EngineOptions

        @Option(help: "json: JSON lines on stdout. table: the window table on stdout at the end (records still go to --output).")
        var format: OutputFormat = .json

        @OptionGroup var measurement: MeasurementOptions<SoakDefaults>

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let problem = SoakConfiguration.problem(durationS: duration.seconds, windowS: window.seconds, ratePerS: rate?.perSecond) {
                throw ValidationError(problem)
            }
            if suite != nil || layer != nil {
                if suite == nil { throw ValidationError("--layer needs --suite") }
                if layer == nil { throw ValidationError("--suite needs --layer (the layer to soak)") }
                if arch != nil { throw ValidationError("--arch and --suite/--layer are two workloads: give one") }
                if variant != nil { throw ValidationError("--variant applies to --arch, not to a suite layer") }
            }
            if measurement.minIterations != SoakDefaults.policy.minIterations || measurement.minTime.seconds != SoakDefaults.policy.minTimeS {
                throw ValidationError("--min-iterations and --min-time do not apply to soak: it runs for --duration")
            }
        }

        func run() throws {
            let resolved = try measurement.resolvedOrExit()
            let boardProfile = resolved.board
            let pinned = resolved.cpus
            let threadCount = resolved.threads
            let seed = resolved.seed
            // Telemetry first: its thread inherits this thread's CPUs, which the pool then pins.
            let telemetry: SoakTelemetry
            do {
                telemetry = try SoakTelemetry(interval: resolved.sampleInterval.duration, awayFrom: pinned)
            } catch {
                printError("telemetry: \(error)")
                throw ExitCode.failure
            }
            let workload: SoakWorkload
            do {
                let measured = engines.engine.engines
                let threads = try EngineThreads(engines: measured, threadCount: threadCount, cpus: pinned)
                if let suite, let layer {
                    workload = try SoakWorkload.layer(suite: suite, layer: layer, seed: seed, engines: measured, threads: threads)
                } else {
                    workload = try SoakWorkload.network(
                        arch: arch ?? "mobilenet-v2-96", variant: variant, seed: seed, engines: measured, threads: threads)
                }
            } catch let error as SoakWorkload.UsageError {
                throw ValidationError(error.description)
            } catch {
                printError(String(describing: error))
                throw ExitCode.failure
            }

            let configuration = SoakConfiguration(
                durationS: duration.seconds, windowS: window.seconds, ratePerS: rate?.perSecond,
                warmup: resolved.policy.warmupIterations,
                cooldownToC: cooldown.limitC(on: boardProfile), cooldownTimeoutS: cooldown.timeoutS(on: boardProfile),
                threads: threadCount, cpus: pinned, cluster: resolved.cluster,
                board: boardProfile.name)
            let writer = try format == .json || output.output != nil ? output.makeWriter() : RecordWriter(sink: DiscardingSink())
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let outcome: SoakRunner.Outcome
            do {
                outcome = try SoakRunner(
                    workload: workload, configuration: configuration, telemetry: telemetry,
                    aggregator: WindowAggregator(
                        cpus: pinned, maxFrequencyHz: CPUClusters(root: "/").maxFrequencyHz, throttleTempC: boardProfile.throttleTempC),
                    writer: writer, stopFlag: stopFlag, progress: SoakProgress.forTerminal()
                ).run()
            } catch let error as SoakRunner.RateTooHighError {
                throw ValidationError(error.description)
            }
            withExtendedLifetime(signals) {}

            if format == .table { print(SoakTable(outcome: outcome).render(), terminator: "") }
            for warning in outcome.end.warnings { printError("warning: \(warning)") }
            if let number = stopFlag.raisedBySignal {
                throw ExitCode(TerminationSignals.exitStatus(for: number))
            }
        }
    }
}

import ArgumentParser
import Engines
import CommandLineSupport
import Measurement
import Profiles
import Reports
import Suites
import Telemetry

extension EdgeProbe {
    /// `edgeprobe bench`: run a benchmark suite while sampling telemetry.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a convolution benchmark suite while sampling telemetry.",
            discussion: """
                Writes run_start, one bench record per layer (latency statistics in microseconds,
                MACs, GFLOP/s, telemetry while it ran), one comparison per pair (theoretical MAC
                ratio next to the measured speedup rate s/s*) and run_end, as JSON lines.
                SIGINT/SIGTERM stop within a second, keep every finished record, write run_end
                with "interrupted": true and exit 130/143.

                Examples:
                  edgeprobe bench
                  edgeprobe bench --board raspberry-pi-4 --threads 2 --output results.jsonl
                  edgeprobe bench --suite ./my-suite.yaml --min-time 2s --cooldown-to 55
                  edgeprobe bench --format table
                  edgeprobe bench --engine both --threads 2 --format table
                """)

        @Option(help: ArgumentHelp("Suite name in Profiles/suites, or a path to a suite file.", valueName: "name|path"))
        var suite = "conv-default"

        @Option(help: ArgumentHelp("Board profile name in Profiles/boards, or a path.", valueName: "name|path"))
        var board = "generic"

        @Option(help: "Benchmark threads (default: the board profile's).")
        var threads: Int?

        @Option(help: ArgumentHelp("CPUs to pin benchmark threads to, e.g. 0,1 (default: the board profile's).", valueName: "list"))
        var cpus: CPUListArgument?

        @Option(help: "Untimed warm-up iterations per layer.")
        var warmup = 5

        @Option(help: "Fewest timed iterations per layer.")
        var minIterations = 20

        @Option(help: ArgumentHelp("Least timed duration per layer, e.g. 500ms, 2s.", valueName: "duration"))
        var minTime = DurationArgument(.seconds(1))

        @Option(help: ArgumentHelp("Before each layer, wait until the hottest sensor is below this (C).", valueName: "celsius"))
        var cooldownTo: Double?

        @Option(help: ArgumentHelp("Longest wait for --cooldown-to (default: the board profile's).", valueName: "duration"))
        var cooldownTimeout: DurationArgument?

        @Option(help: ArgumentHelp("Telemetry sampling interval while layers run.", valueName: "duration"))
        var sampleInterval = DurationArgument(.milliseconds(100))

        @Option(help: "Seed of the random weights and inputs.")
        var seed: UInt64 = 1

        @Option(help: "json: JSON lines on stdout. table: a human summary on stdout (records still go to --output).")
        var format: OutputFormat = .json

        @OptionGroup var engines: EngineOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
            if warmup < 0 { throw ValidationError("--warmup must not be negative, got \(warmup)") }
            if minIterations < 1 { throw ValidationError("--min-iterations must be at least 1, got \(minIterations)") }
            if minTime.seconds < 0 { throw ValidationError("--min-time must not be negative") }
            if sampleInterval.seconds < 0.01 { throw ValidationError("--sample-interval must be at least 10ms") }
            if let cooldownTimeout, cooldownTimeout.seconds <= 0 { throw ValidationError("--cooldown-timeout must be positive") }
        }



        func run() throws {
            let locator = ProfileLocator.standard()
            let loadedSuite: Suite
            let boardProfile: BoardProfile
            do {
                loadedSuite = try Suite.load(path: try locator.locate(suite, kind: "suites"))
                boardProfile = try BoardProfile.load(path: try locator.locate(board, kind: "boards"))
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            let options = BenchOptions(
                threads: threads ?? boardProfile.threads,
                cpus: cpus?.cpus ?? boardProfile.cpus,
                measurement: MeasurementPolicy(warmupIterations: warmup, minIterations: minIterations, minTimeS: minTime.seconds),
                cooldownToC: cooldownTo ?? boardProfile.cooldownToC,
                cooldownTimeoutS: cooldownTimeout?.seconds ?? boardProfile.cooldownTimeoutS,
                sampleIntervalMs: Int((sampleInterval.seconds * 1000).rounded()),
                seed: seed, engine: engines.engine)

            let writer = try format == .json || output.output != nil ? output.makeWriter() : RecordWriter(sink: DiscardingSink())
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let telemetry = try startTelemetry(interval: sampleInterval, avoiding: options.cpus)
            try writer.write(RunStartRecord.make(
                version: EdgeProbeVersion.current, board: boardProfile, suite: loadedSuite, options: options,
                sample: telemetry.latestSample))
            let outcome = try SuiteRunner(
                suite: loadedSuite, board: boardProfile, options: options, writer: writer,
                telemetry: telemetry, stopFlag: stopFlag,
                progress: format == .json ? Progress.forTerminal() : nil
            ).run()
            withExtendedLifetime(signals) {}

            if format == .table { print(BenchTable(outcome: outcome).render(), terminator: "") }
            for warning in outcome.end?.warnings ?? [] { printError("warning: \(warning)") }
            if let number = stopFlag.raisedBySignal {
                throw ExitCode(TerminationSignals.exitStatus(for: number))
            }
        }
    }

    /// How `bench` presents results on standard output.
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }
}

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
                Writes run_start, one bench record per layer (latency statistics in microseconds, \
                MACs, GFLOP/s, telemetry while it ran), one comparison per pair (theoretical MAC \
                ratio next to the measured speedup rate s/s*) and run_end, as JSON lines. \
                SIGINT/SIGTERM stop within a second, keep every finished record, write run_end \
                with "interrupted": true and exit 130/143.

                On big.LITTLE boards (RK3588: 4x Cortex-A76 + 4x Cortex-A55) --cpus big or little \
                pins to one kind of core (told apart by cpu_capacity or cpuinfo_max_freq), and \
                --sweep-clusters measures every layer on each cluster at 1..N threads; each bench \
                record carries its threads and cluster (a sweep writes no comparisons).

                --precision int8 runs each layer on edgeprobe's int8 kernels and/or XNNPACK's \
                int8 (qc8) operator: per-channel int8 weights, 8-bit activations with a min-max \
                calibrated scale, int32 accumulation. edgeprobe's int8 kernels run conv and \
                pointwise layers (groups 1), XNNPACK's also depthwise; separable blocks run in \
                float32 only. A suite layer an engine cannot run is a usage error naming it; \
                the conv-int8 suite holds the conv-default layers both engines run in int8.

                The environment variable EDGEPROBE_MAX_ISA caps the instruction sets edgeprobe's \
                kernels may use (x86-64: avx512, avx2; aarch64: neon-dotprod, neon), to measure \
                the paths an older CPU runs; run_start names the paths chosen and the cap \
                (engines[].float32_isa, int8_isa, max_isa). XNNPACK is not capped.

                Examples:
                  edgeprobe bench
                  edgeprobe bench --board raspberry-pi-4 --threads 2 --output results.jsonl
                  edgeprobe bench --suite ./my-suite.yaml --min-time 2s --cooldown-to 55
                  edgeprobe bench --format table
                  edgeprobe bench --cpus big --threads 4
                  edgeprobe bench --sweep-clusters
                  edgeprobe bench --engine both --threads 2 --format table
                  edgeprobe bench --precision int8 --engine both --suite conv-int8
                """)

        @Option(help: ArgumentHelp("Suite name in Profiles/suites, or a path to a suite file.", valueName: "name|path"))
        var suite = "conv-default"

        @OptionGroup var measurement: MeasurementOptions<SuiteLayerDefaults>

        @Flag(help: "Measure every layer on each CPU cluster at every thread count from 1 to the cluster's size.")
        var sweepClusters = false

        @OptionGroup var cooldown: CooldownOptions

        @Option(help: "json: JSON lines on stdout. table: a human summary on stdout (records still go to --output).")
        var format: OutputFormat = .json

        @OptionGroup var engines: EngineOptions

        @Option(help: ArgumentHelp("The number format the layers compute in.", valueName: "float32|int8"))
        var precision: Precision = .float32

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if sweepClusters, measurement.cpus != nil || measurement.threads != nil {
                throw ValidationError("--sweep-clusters chooses the CPUs and threads itself: leave out --cpus and --threads")
            }
        }

        func run() throws {
            let locator = ProfileLocator.standard()
            let loadedSuite: Suite
            let resolved: ResolvedMeasurement
            do {
                loadedSuite = try Suite.load(path: try locator.locate(suite, kind: "suites"))
                resolved = try measurement.resolved(locator: locator)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            let unsupported = loadedSuite.layers.flatMap { layer in
                engines.engine.engines.compactMap { engine in
                    precision == .int8 ? LayerWorkload.int8Limitation(of: layer, on: engine).map { "'\(layer.name)' on \(engine): \($0)" } : nil
                }
            }
            if !unsupported.isEmpty {
                throw ValidationError("--precision int8: the suite has layers that cannot run in int8: " + unsupported.joined(separator: "; "))
            }
            let boardProfile = resolved.board
            let placements = sweepClusters
                ? BenchPlacement.sweep(CPUClusters(root: "/").clusters.map { ($0.name, $0.cpus) })
                : [BenchPlacement(threads: resolved.threads, cpus: resolved.cpus, cluster: resolved.cluster)]
            if placements.isEmpty { throw ValidationError("--sweep-clusters: no CPUs found under /sys/devices/system/cpu") }
            let options = BenchOptions(
                threads: placements[0].threads, cpus: sweepClusters ? nil : resolved.cpus, measurement: resolved.policy,
                cooldownToC: cooldown.limitC(on: boardProfile), cooldownTimeoutS: cooldown.timeoutS(on: boardProfile),
                sampleIntervalMs: Int((resolved.sampleInterval.seconds * 1000).rounded()),
                seed: resolved.seed, engine: engines.engine, precision: precision)

            let writer = try format == .json || output.output != nil ? output.makeWriter() : RecordWriter(sink: DiscardingSink())
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let telemetry = try startTelemetry(interval: resolved.sampleInterval, avoiding: options.cpus)
            try writer.write(RunStartRecord.make(
                version: EdgeProbeVersion.current, board: boardProfile, suite: loadedSuite, options: options,
                sample: telemetry.latestSample, warnings: resolved.warnings))
            let outcome = try SuiteRunner(
                suite: loadedSuite, board: boardProfile, options: options, writer: writer,
                telemetry: telemetry, stopFlag: stopFlag,
                progress: format == .json ? Progress.forTerminal() : nil, placements: placements
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

extension Precision: ExpressibleByArgument {}

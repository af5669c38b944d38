import ArgumentParser
import Engines
import CommandLineSupport
import Glibc
import Measurement
import NAS
import Profiles
import Reports
import Suites
import SystemErrors

extension EdgeProbe {
    /// `edgeprobe lut`: measure a search space's per-block latency lookup table, or check one.
    struct Lut: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a per-block latency lookup table for a search space, or check one against end-to-end runs.",
            discussion: """
                --space measures every distinct block of the search space (Profiles/spaces, format \
                in Docs/nas.md), by default inside random networks of the space, and writes a YAML \
                table ProxylessNAS / Once-for-All tooling reads (block keys with mean, std in ms \
                and n, plus board and conditions) to --table; a `lut` record goes to standard output.

                --check samples --archs random architectures of the table's space, predicts each \
                by summing the table, measures it end to end and writes a `lut_check` record: the \
                share predicted within ±10% (nn-Meter's criterion) and the RMSE. It measures \
                --calibration of the networks the table was measured in again, in the same turns, \
                and scales each prediction by how much slower or faster they ran around the time \
                that architecture ran (load from other processes); the table must be checked at \
                its own engine, thread count and float32 kernel path (EDGEPROBE_MAX_ISA), and \
                a table measured with another version of the engine is checked with a warning.

                Examples:
                  edgeprobe lut --space mobilenet-v2-96 --table mnv2.lut.yaml --min-time 500ms
                  edgeprobe lut --check mnv2.lut.yaml --archs 20
                """)

        @Option(help: ArgumentHelp("Search space name in Profiles/spaces, or a path (with --check: default, the table's).", valueName: "name|path"))
        var space: String?

        @Option(help: ArgumentHelp("Where the measured table is written (default: <space>.lut.yaml).", valueName: "path"))
        var table: String?

        @Option(help: ArgumentHelp("Check this table instead of measuring one.", valueName: "path"))
        var check: String?

        @Option(help: ArgumentHelp(
            "Where blocks are timed: 'network' (inside random networks of the space, the cache state a network gives them) or 'isolated' (each block alone, caches warm).",
            valueName: "network|isolated"))
        var context: LookupTableBuilder.Context = .network

        @Option(parsing: .unconditional, help: "With --context network: the fewest networks each block is timed in.")
        var occurrences = 3

        @Option(parsing: .unconditional, help: "With --check: how many random architectures to measure.")
        var archs = 20

        @Option(parsing: .unconditional, help: "With --check: seed of the architecture sampling.")
        var sampleSeed: UInt64 = 1

        @Option(parsing: .unconditional, help: ArgumentHelp(
            "With --check: how many of the table's calibration networks to measure again to correct for the machine's speed now (0: no correction).",
            valueName: "n"))
        var calibration = 6

        @OptionGroup var measurement: MeasurementOptions<NetworkDefaults>

        @OptionGroup var network: NetworkOptions<NetworkDefaults>

        @OptionGroup var engines: EngineOptions

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if check == nil, space == nil { throw ValidationError("give --space to measure a table, or --check TABLE to check one") }
            if check != nil, table != nil { throw ValidationError("--table is for measuring; --check reads the table it names") }
            if occurrences < 1 { throw ValidationError("--occurrences must be at least 1, got \(occurrences)") }
            if archs < 1 { throw ValidationError("--archs must be at least 1, got \(archs)") }
            if calibration < 0 { throw ValidationError("--calibration must be 0 or more, got \(calibration)") }
            if engines.engine == .both {
                throw ValidationError("--engine both: a table holds one engine's latencies; run lut once with --engine edgeprobe and once with --engine xnnpack")
            }
        }

        func run() throws {
            let locator = ProfileLocator.standard()
            let resolved: ResolvedMeasurement
            var loadedTable: LookupTable?
            let searchSpace: ArchitectureSearchSpace
            do {
                resolved = try measurement.resolved(locator: locator)
                if let check { loadedTable = try LookupTable.load(path: check) }
                guard let spaceName = space ?? loadedTable?.conditions["space_file"] else {
                    printError("\(check ?? ""): the table names no space_file; give --space")
                    throw ExitCode.failure
                }
                searchSpace = try ArchitectureSearchSpace.load(path: try locator.locate(spaceName, kind: "spaces"))
            } catch let error as ConfigError {
                printError(error.description)
                throw ExitCode.failure
            }
            if check == nil {
                let path = table ?? "\(searchSpace.name).lut.yaml"
                if let problem = OutputPath.problem(path) {
                    printError("--table \(path): \(problem)")
                    throw ExitCode.failure
                }
            }
            var configuration = network.configuration(resolved)
            configuration.engine = engines.engine
            // A table predicts the engine, thread count and kernel path it was measured at.
            let engine = engines.engine.engines[0]
            if let loadedTable, let check,
               let problem = LookupTableCheck.mismatch(table: loadedTable, engine: engine, threads: configuration.threads,
                                                       float32Isa: EngineDescription.float32Isa(engine)) {
                throw ValidationError("\(check): \(problem)")
            }
            let writer = try output.makeWriter()
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let telemetry = try startTelemetry(interval: resolved.sampleInterval, avoiding: resolved.cpus)
            defer { withExtendedLifetime(signals) {} }
            do {
                if let loadedTable, let check {
                    try runCheck(table: loadedTable, path: check, space: searchSpace, configuration: configuration,
                                 writer: writer, telemetry: telemetry, stopFlag: stopFlag)
                } else {
                    try runMeasure(space: searchSpace, board: resolved.board, configuration: configuration, writer: writer,
                                   telemetry: telemetry, stopFlag: stopFlag)
                }
            } catch let failure as LatencyMeasurement.Failure {
                printError(failure.description)
                throw ExitCode(stopFlag.raisedBySignal.map(TerminationSignals.exitStatus) ?? 1)
            }
        }

        private func runMeasure(
            space: ArchitectureSearchSpace, board: BoardProfile, configuration: LatencyMeasurement, writer: RecordWriter,
            telemetry: SampledTelemetry, stopFlag: StopFlag
        ) throws {
            let path = table ?? "\(space.name).lut.yaml"
            let outcome = try LookupTableBuilder(measurement: configuration, context: context, occurrences: occurrences).run(
                space: space, board: board, version: EdgeProbeVersion.current, telemetry: telemetry, stopFlag: stopFlag
            ) { printError($0) }
            let yaml = try outcome.table.yaml()
            do {
                try WholeFile.write(Array(yaml.utf8), to: path)
            } catch {
                printError("--table \(path): cannot write: \(error)")
                throw ExitCode.failure
            }
            var record = outcome.record
            record.output = path
            try writer.write(record)
            printError("wrote \(record.entries) blocks to \(path) in \((record.durationS * 10).rounded() / 10) s")
            if let scale = outcome.table.medianScale {
                printError("median scale \(Self.thousandths(scale.value)) (\(Self.thousandths(scale.min))-\(Self.thousandths(scale.max)) over \(scale.n) networks): "
                           + "end-to-end medians over the sums of block medians")
            }
            for warning in record.warnings { printError("warning: \(warning)") }
        }

        /// A figure rounded to three decimals, as the progress lines print it.
        private static func thousandths(_ value: Double) -> String { String((value * 1000).rounded() / 1000) }

        private func runCheck(
            table: LookupTable, path: String, space: ArchitectureSearchSpace, configuration: LatencyMeasurement,
            writer: RecordWriter, telemetry: SampledTelemetry, stopFlag: StopFlag
        ) throws {
            let check = LookupTableCheck(measurement: configuration, architectures: archs, samplingSeed: sampleSeed, calibration: calibration)
            let record = try check.run(table: table, tablePath: path, space: space, telemetry: telemetry, stopFlag: stopFlag) { printError($0) }
            func pct(_ share: Double) -> String { "\((share * 1000).rounded() / 10)%" }
            func tenths(_ value: Double) -> String { String((value * 10).rounded() / 10) }
            for result in record.architectures {
                printError("\(result.name): predicted p50 \(Self.thousandths(result.correctedP50Ms)) ms, measured p50 \(Self.thousandths(result.measuredP50Ms)) ms "
                           + "(\(tenths(result.errorPct))%; speed correction \(Self.thousandths(result.speedCorrection)), uncorrected \(tenths(result.errorUncorrectedPct))%), cv \((result.measuredCv * 100).rounded())%, \(result.n) runs")
            }
            try writer.write(record)
            if let correction = record.speedCorrection, let smallest = record.speedCorrectionMin, let largest = record.speedCorrectionMax {
                printError("speed correction \(Self.thousandths(correction)) (\(Self.thousandths(smallest))-\(Self.thousandths(largest)) over \(record.calibrationNetworks) "
                           + "calibration networks): their medians now over their medians in the table; each architecture's follows "
                           + "the calibration runs within ±\(Int(record.speedWindowMs ?? 0)) ms of its own")
            }
            printError("\(record.architectures.count) architectures: \(pct(record.within10PctShare)) within ±10% on medians, "
                       + "RMSE \(Self.thousandths(record.rmseMs)) ms (one correction for the whole check: "
                       + "\(record.within10PctShareGlobal.map(pct) ?? "n/a"); uncorrected: \(pct(record.within10PctShareUncorrected)); "
                       + "on means: \(pct(record.within10PctShareMean)), on minimums: \(pct(record.within10PctShareMin)))")
            for warning in record.warnings { printError("warning: \(warning)") }
            if let drift = record.speedDrift {
                printError("the table's reference network runs at \(Self.thousandths(drift))x its table-time median now")
            }
        }
    }
}

extension LookupTableBuilder.Context: ExpressibleByArgument {}

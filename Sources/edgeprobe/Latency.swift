import ArgumentParser
import Engines
import CommandLineSupport
import Measurement
import Models
import NAS
import Profiles
import Reports

extension EdgeProbe {
    /// `edgeprobe latency`: an architecture's latency on this board, for neural architecture
    /// search: measured once (`measure`, the default) or served over HTTP (`serve`). The two
    /// take the same measurement options with different defaults, so each declares its own and
    /// this parent declares none (a parent's option would take the value given after `serve`).
    struct Latency: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A network architecture's latency on this board: measured once, or served over HTTP.",
            discussion: """
                `edgeprobe latency --arch NAME` measures one architecture (see `latency measure \
                --help`); `edgeprobe latency serve` answers the same over HTTP (see its --help); \
                `edgeprobe latency sample` writes random architectures of a search space as spec \
                files to measure.
                """,
            subcommands: [Measure.self, Serve.self, Sample.self],
            defaultSubcommand: Measure.self)
    }
}

extension EdgeProbe.Latency {
    /// `edgeprobe latency [measure]`: measure an architecture spec end to end.
    struct Measure: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure a network architecture's latency on this board (and its MnasNet reward).",
            discussion: """
                Builds the architecture spec (Docs/nas.md) with seeded random weights, warms up, \
                times it until --min-iterations and --min-time are both reached, and writes one \
                `latency` record: end-to-end statistics (microseconds), a conservative latency \
                (an upper percentile with the number of runs behind it), per-block latencies with \
                their lookup-table keys, and telemetry. With --accuracy and --target-ms it adds \
                the MnasNet reward ACC x (LAT/T)^w computed from the conservative latency.

                `edgeprobe latency serve` answers the same over HTTP instead (see its --help).

                Examples:
                  edgeprobe latency --arch mobilenet-v2-96
                  edgeprobe latency --arch ./my-arch.yaml --accuracy 0.72 --target-ms 15
                  edgeprobe latency --arch tiny --accuracy 0.5 --target-ms 1 --hard-constraint
                  edgeprobe latency serve --listen 127.0.0.1:8321
                """)

        @Option(help: ArgumentHelp("Architecture name in Profiles/archs, or a path to a spec file.", valueName: "name|path"))
        var arch: String?

        @OptionGroup var measurement: MeasurementOptions<NetworkDefaults>

        @OptionGroup var network: NetworkOptions<NetworkDefaults>

        @OptionGroup var engines: EngineOptions

        @Option(parsing: .unconditional, help: ArgumentHelp("Accuracy of the architecture, in [0, 1], for the MnasNet reward.", valueName: "fraction"))
        var accuracy: Double?

        @Option(parsing: .unconditional, help: ArgumentHelp("Target latency T in milliseconds, for the MnasNet reward.", valueName: "ms"))
        var targetMs: Double?

        @Flag(help: "Hard latency constraint (alpha = 0, beta = -1) instead of the soft one (alpha = beta = -0.07).")
        var hardConstraint = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if arch == nil { throw ValidationError("give --arch NAME|PATH (or use `latency serve`)") }
            if (accuracy == nil) != (targetMs == nil) {
                throw ValidationError("--accuracy and --target-ms go together: give both or neither")
            }
            if let accuracy, !(0...1).contains(accuracy) {
                throw ValidationError("--accuracy must be a fraction in [0, 1], got \(accuracy)")
            }
            if let targetMs, !(targetMs > 0) { throw ValidationError("--target-ms must be positive, got \(targetMs)") }
            if hardConstraint, accuracy == nil { throw ValidationError("--hard-constraint needs --accuracy and --target-ms") }
        }

        func run() throws {
            guard let arch else { return }
            let locator = ProfileLocator.standard()
            let plan: ArchitecturePlan
            let path: String
            let resolved: ResolvedMeasurement
            do {
                path = try locator.locate(arch, kind: "archs")
                plan = try ArchitectureSpec.loadPlan(path: path, limits: network.limits)
                resolved = try measurement.resolved(locator: locator)
            } catch {
                printError(error.description)
                throw ExitCode.failure
            }
            var configuration = network.configuration(resolved)
            configuration.engine = engines.engine
            configuration.reward = accuracy.map {
                LatencyMeasurement.RewardRequest(accuracy: $0, targetMs: targetMs ?? 0, constraint: hardConstraint ? .hard : .soft)
            }
            let writer = try output.makeWriter()
            let stopFlag = StopFlag()
            let signals = TerminationSignals { stopFlag.raise(signal: $0) }
            let telemetry = try startTelemetry(interval: resolved.sampleInterval, avoiding: resolved.cpus)
            printError("measuring \(plan.spec.name): \(plan.layers.count) layers, \(plan.macs) MACs, \(plan.parameterCount) params")
            let records: [LatencyRecord]
            do {
                records = try configuration.runEngines(plan: plan, source: path, telemetry: telemetry, stopFlag: stopFlag)
            } catch {
                printError(error.description)
                throw ExitCode(stopFlag.raisedBySignal.map(TerminationSignals.exitStatus) ?? 1)
            }
            withExtendedLifetime(signals) {}
            for record in records {
                try writer.write(record)
                printError(Self.summary(record))
                for warning in record.warnings { printError("warning: \(warning)") }
            }
        }

        /// One line for people: the headline figures.
        static func summary(_ record: LatencyRecord) -> String {
            func ms(_ us: Double) -> String { String((us / 10).rounded() / 100) }
            var line = "\(record.name) [\(record.engine)]: p50 \(ms(record.latencyUs.p50)) ms, "
                + "p\(record.conservativeLatency.percentile) \(ms(record.conservativeLatency.valueUs)) ms (n=\(record.latencyUs.n)), "
                + "cv \((record.latencyUs.cv * 1000).rounded() / 10)%"
            if let reward = record.reward {
                line += ", MnasNet reward \(reward.value) (\(reward.constraint.rawValue), w=\(reward.exponent))"
            }
            if let ratio = record.p50RatioEdgeprobeToXnnpack {
                line += ", edgeprobe/xnnpack p50 \((ratio * 100).rounded() / 100)x"
            }
            return line
        }
    }
}

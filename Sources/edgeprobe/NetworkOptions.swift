import ArgumentParser
import Measurement
import Models
import NAS

/// What commands that measure whole networks add to `MeasurementOptions`: the conservative
/// percentile and the largest architecture they accept (`latency`, `lut`, `latency serve`).
struct NetworkOptions<Defaults: NetworkMeasurementDefaults>: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Upper percentile reported as the conservative latency: 90, 95 or 99.", valueName: "p"))
    var percentile = Defaults.percentile

    @Option(parsing: .unconditional, help: "Refuse architectures above this many multiply-accumulates.")
    var maxMacs = Defaults.limits.maxMacs

    @Option(parsing: .unconditional, help: ArgumentHelp("Refuse architectures whose weights and activations need more than this.", valueName: "MiB"))
    var maxMemoryMib = Defaults.limits.maxMemoryBytes >> 20

    func validate() throws {
        if !ConservativePercentiles.supported.contains(percentile) {
            let allowed = ConservativePercentiles.supported.map { String($0) }.joined(separator: ", ")
            throw ValidationError("--percentile must be one of \(allowed); got \(percentile)")
        }
        if maxMacs < 1 { throw ValidationError("--max-macs must be positive") }
        if maxMemoryMib < 1 { throw ValidationError("--max-memory-mib must be positive") }
    }

    /// The size limits in force.
    var limits: ArchitectureLimits { ArchitectureLimits(maxMacs: maxMacs, maxMemoryBytes: maxMemoryMib << 20) }

    /// The network measurement these options and `measurement` describe.
    func configuration(_ measurement: ResolvedMeasurement) -> LatencyMeasurement {
        LatencyMeasurement(
            threads: measurement.threads, cpus: measurement.cpus, policy: measurement.policy, seed: measurement.seed,
            percentile: percentile)
    }
}

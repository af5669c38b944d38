import ArgumentParser
import CommandLineSupport
import Suites

/// Starts benchmark telemetry off `benchmarkCPUs`, or says why it cannot and exits 1.
func startTelemetry(interval: DurationArgument, avoiding benchmarkCPUs: [Int]?) throws -> SampledTelemetry {
    do {
        return try SampledTelemetry(interval: interval.duration, awayFrom: benchmarkCPUs)
    } catch {
        printError("telemetry: \(error)")
        throw ExitCode.failure
    }
}

import ProcStats

/// Owns every collector and reads them all at once into a `Sample`.
///
/// Not thread-safe, by design: libsensors and libproc2 keep unlocked global state, so a sampler
/// must be created and used on one long-lived thread (see `SamplingThread`).
public final class Sampler {
    private let cpu: CPUCollector
    private let memory: MemoryCollector
    private let sensors: SensorsCollector
    private let frequency: FrequencyCollector
    private let throttle: ThrottleCollector
    private let process: ProcessCollector

    /// The CPU and memory backend in use (`libproc2` on the live system, `procfs` otherwise).
    public let statsBackendName: String

    /// Collectors for the system under `root` (`/` for the live board, a fixture tree in tests).
    public init(root: String = "/", sensorBackend: SensorBackend = .automatic) {
        let backend = makeSystemStatsBackend(root: root)
        statsBackendName = backend.name
        cpu = CPUCollector(root: root, backend: backend)
        memory = MemoryCollector(backend: backend)
        sensors = SensorsCollector(root: root, backend: sensorBackend)
        frequency = FrequencyCollector(root: root)
        throttle = ThrottleCollector(root: root)
        process = ProcessCollector(root: root)
    }

    /// Reads every collector once; `collectUs` is the time this call took.
    public func read() -> Sample {
        let start = MonotonicClock.now()
        var unavailable: [String: String] = [:]
        let cpuReading = cpu.read(unavailable: &unavailable)
        let memoryReading = memory.read(unavailable: &unavailable)
        let sensorReadings = sensors.read(unavailable: &unavailable)
        let frequencies = frequency.read(unavailable: &unavailable)
        let throttleReading = throttle.read(unavailable: &unavailable)
        let processReading = process.read(unavailable: &unavailable)
        let elapsed = MonotonicClock.now() - start
        return Sample(
            collectUs: (Double(elapsed) / 100).rounded() / 10, cpu: cpuReading, memory: memoryReading,
            sensors: sensorReadings, sensorsSource: sensors.sourceName, cpufreq: frequencies,
            throttle: throttleReading, process: processReading, unavailable: unavailable)
    }
}

import ProcStats
import Reports

/// System memory of one sample, in bytes.
public struct MemoryReading: Encodable, Sendable, Equatable {
    /// Physical memory the kernel manages.
    @Nullable public var totalBytes: UInt64?
    /// Memory available for new work without swapping.
    @Nullable public var availableBytes: UInt64?
    /// Total minus available.
    @Nullable public var usedBytes: UInt64?
    /// Swap space.
    @Nullable public var swapTotalBytes: UInt64?
    /// Swap in use.
    @Nullable public var swapUsedBytes: UInt64?

    /// A reading from `figures`, or with every figure unavailable.
    public init(_ figures: MemoryFigures?) {
        totalBytes = figures?.totalBytes
        availableBytes = figures?.availableBytes
        usedBytes = figures?.usedBytes
        swapTotalBytes = figures?.swapTotalBytes
        swapUsedBytes = figures?.swapUsedBytes
    }
}

/// Total, available, used and swap memory through a `SystemStatsBackend`.
public final class MemoryCollector: Collector {
    private let backend: any SystemStatsBackend

    /// A collector over `backend`'s memory figures.
    public init(backend: any SystemStatsBackend) {
        self.backend = backend
    }

    /// Reads the memory figures now.
    public func read(unavailable: inout [String: String]) -> MemoryReading {
        do {
            return MemoryReading(try backend.memory())
        } catch {
            unavailable["memory"] = error.description
            return MemoryReading(nil)
        }
    }
}

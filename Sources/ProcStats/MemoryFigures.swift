/// System memory in bytes, as `/proc/meminfo` reports it.
public struct MemoryFigures: Sendable, Equatable {
    /// Physical memory the kernel manages (`MemTotal`).
    public var totalBytes: UInt64
    /// Memory available for new work without swapping (`MemAvailable`).
    public var availableBytes: UInt64
    /// Swap space (`SwapTotal`).
    public var swapTotalBytes: UInt64
    /// Swap space free (`SwapFree`).
    public var swapFreeBytes: UInt64

    /// Figures with the given values.
    public init(totalBytes: UInt64, availableBytes: UInt64, swapTotalBytes: UInt64, swapFreeBytes: UInt64) {
        self.totalBytes = totalBytes
        self.availableBytes = availableBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
    }

    /// Memory in use: total minus available (the definition `free` and libproc2 use).
    public var usedBytes: UInt64 { totalBytes >= availableBytes ? totalBytes - availableBytes : 0 }
    /// Swap in use: total minus free.
    public var swapUsedBytes: UInt64 { swapTotalBytes >= swapFreeBytes ? swapTotalBytes - swapFreeBytes : 0 }
}

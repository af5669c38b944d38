import CMalloc

/// Keeps a long-running process's heap small: glibc gives every thread that allocates its own
/// arena (64 MiB reserved, a few hundred KiB resident each), and keeps freed memory for reuse.
public enum ResidentHeap {
    /// Makes every thread allocate from the one main arena. Call at start-up, before threads
    /// start; edgeprobe's threads allocate rarely (kernels work in buffers allocated once), so
    /// they do not contend for it.
    /// - Returns: whether glibc accepted the setting.
    @discardableResult
    public static func useOneArena() -> Bool {
        mallopt(M_ARENA_MAX, 1) == 1
    }

    /// Returns freed heap memory to the kernel, e.g. after a benchmark suite's buffers are gone.
    /// - Returns: whether any memory was returned.
    @discardableResult
    public static func trim() -> Bool {
        malloc_trim(0) == 1
    }
}

import Glibc
import ProcStats

/// Keeps a long-running sampler's resident set to what it runs in steady state.
///
/// A statically linked Swift binary is large (Swift runtime, FoundationEssentials, ArgumentParser),
/// and start-up (argument parsing, runtime metadata, library initializers) touches code pages all
/// over it; the kernel's fault-around maps 64 KiB per fault, so ~10 MiB of clean, file-backed code
/// stays counted in RSS although the sampling loop never runs it again.
/// `dropStartupPages()` unmaps those clean code pages (they stay in the page cache and fault back
/// in on use) and turns fault-around off for them, so RSS tracks the code the loop really uses.
public enum ResidentCode {
    /// Applies `MADV_DONTNEED` and `MADV_RANDOM` to every file-backed executable mapping of this
    /// process (the binary's and shared libraries' text). Only `r-xp` mappings are touched: they
    /// are never written (no text relocations), so dropping them loses nothing; writable and
    /// read-only data (RELRO holds relocated pointers) are left alone.
    /// - Returns: how many mappings were advised.
    @discardableResult
    public static func dropStartupPages() -> Int {
        guard let maps = TextFile.text("/proc/self/maps") else { return 0 }
        var advised = 0
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, fields[1] == "r-xp", fields[5].trimmingSpaces.hasPrefix("/") else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                  end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            let length = Int(end - start)
            _ = madvise(address, length, MADV_RANDOM)
            if madvise(address, length, MADV_DONTNEED) == 0 { advised += 1 }
        }
        return advised
    }
}

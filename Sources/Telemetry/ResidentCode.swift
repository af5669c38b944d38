import Glibc
import Synchronization
import ProcStats

/// Keeps a long-running sampler's resident set to what it runs in steady state.
///
/// A statically linked Swift binary is large (Swift runtime, Foundation, every edgeprobe module),
/// and start-up (dynamic linking, argument parsing, runtime metadata, library initializers, a
/// benchmark) touches code and read-only data all over it and its shared libraries; the kernel's
/// fault-around maps 64 KiB per fault, so many MiB of clean, file-backed pages stay counted in
/// RSS although the sampling loop never reads them again.
/// `dropStartupPages()` unmaps those clean pages (they stay in the page cache and fault back in
/// on use), so RSS tracks what the loop really uses. Call it again after a burst of other work.
public enum ResidentCode {
    /// Gives back what start-up or a burst of work (a benchmark suite) left resident: freed heap
    /// (`ResidentHeap.trim()`) and clean read-only pages (`dropStartupPages()`). Long-running
    /// modes call it once their loop has run every path, and again after each burst.
    public static func releaseIdleMemory() {
        ResidentHeap.trim()
        dropStartupPages()
    }

    /// Applies `MADV_DONTNEED` to every file-backed mapping of this process that is read-only
    /// (`r-xp` text and `r--p` read-only data) and holds no anonymous page.
    ///
    /// Only such mappings are touched: their pages are exact copies of the file (nothing can
    /// write a read-only private mapping), so dropping them loses nothing and any thread may
    /// keep running meanwhile. Read-only mappings with anonymous pages (RELRO, which the dynamic
    /// linker relocated before making it read-only) and every writable mapping are left alone.
    /// - Returns: how many mappings were dropped.
    @discardableResult
    public static func dropStartupPages() -> Int {
        guard let smaps = TextFile.text("/proc/self/smaps") else { return 0 }
        let clean = Mapping.parse(smaps).filter(\.isCleanReadOnlyFile).map { $0.start..<$0.end }
        cleanMappings.withLock { $0 = clean }
        return drop(clean)
    }

    /// Drops the same mappings as the last `dropStartupPages()` again without reading
    /// `/proc/self/smaps` (1-2 ms): a few `madvise` calls, cheap enough after every scrape of the
    /// agent's `/metrics`. The set of clean read-only mappings does not change once start-up is
    /// over (nothing is loaded later). Reads smaps when there was no first call.
    @discardableResult
    public static func dropCodePagesAgain() -> Int {
        let clean = cleanMappings.withLock { $0 }
        return clean.isEmpty ? dropStartupPages() : drop(clean)
    }

    /// The mappings the last `dropStartupPages()` found clean and read-only.
    private static let cleanMappings = Mutex<[Range<UInt>]>([])

    private static func drop(_ ranges: [Range<UInt>]) -> Int {
        var dropped = 0
        for range in ranges {
            guard let address = UnsafeMutableRawPointer(bitPattern: range.lowerBound) else { continue }
            if madvise(address, Int(range.upperBound - range.lowerBound), MADV_DONTNEED) == 0 { dropped += 1 }
        }
        return dropped
    }

    /// One mapping of `/proc/self/smaps`: its range, permissions, path and anonymous size.
    struct Mapping {
        var start: UInt
        var end: UInt
        var permissions: Substring
        var path: Substring
        var anonymousKiB = 0

        /// Read-only, backed by a file (not `[vdso]` and friends), and without written pages.
        var isCleanReadOnlyFile: Bool {
            (permissions == "r-xp" || permissions == "r--p") && path.hasPrefix("/") && anonymousKiB == 0
        }

        /// The mappings of an smaps text, each with its `Anonymous:` figure.
        static func parse(_ smaps: String) -> [Mapping] {
            var mappings: [Mapping] = []
            for line in smaps.split(separator: "\n") {
                if line.hasPrefix("Anonymous:") {
                    let kib = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
                    if let kib, let value = Int(kib), !mappings.isEmpty { mappings[mappings.count - 1].anonymousKiB = value }
                    continue
                }
                let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
                guard fields.count >= 5, fields[0].contains("-"), !fields[0].hasSuffix(":") else { continue }
                let bounds = fields[0].split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                      end > start else { continue }
                let path = fields.count == 6 ? fields[5].trimmingSpaces : ""
                mappings.append(Mapping(start: start, end: end, permissions: fields[1], path: path))
            }
            return mappings
        }
    }
}

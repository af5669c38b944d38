#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The calling thread's CPU affinity through `sched_setaffinity` / `sched_getaffinity` (pid 0 = this thread).
///
/// Glibc declares both only under `_GNU_SOURCE`, which Swift's Glibc module does not define, so
/// they are looked up once with `dlsym` instead of needing a C shim target.
public enum CPUAffinity {
    private typealias AffinityFunction = @convention(c) (pid_t, Int, UnsafeMutableRawPointer?) -> Int32

    /// Bits in a `cpu_set_t`.
    static let setSize = MemoryLayout<cpu_set_t>.size * 8

    private static let setAffinity: AffinityFunction? = lookUp("sched_setaffinity")
    private static let getAffinity: AffinityFunction? = lookUp("sched_getaffinity")

    private static func lookUp(_ name: String) -> AffinityFunction? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: AffinityFunction.self)
    }

    /// Restricts the calling thread to `cpus`; returns false when the kernel refuses (e.g. offline CPU).
    @discardableResult
    public static func pinCurrentThread(to cpus: [Int]) -> Bool {
        guard let setAffinity else { return false }
        var set = cpu_set_t()
        return withUnsafeMutableBytes(of: &set) { bytes in
            for cpu in cpus where cpu >= 0 && cpu < setSize {
                bytes[cpu / 8] |= UInt8(1 << (cpu % 8))
            }
            return setAffinity(0, bytes.count, bytes.baseAddress) == 0
        }
    }

    /// The CPUs the calling thread may run on, ascending; empty if the call fails.
    public static func currentThreadCPUs() -> [Int] {
        guard let getAffinity else { return [] }
        var set = cpu_set_t()
        return withUnsafeMutableBytes(of: &set) { bytes in
            guard getAffinity(0, bytes.count, bytes.baseAddress) == 0 else { return [] }
            return (0..<setSize).filter { bytes[$0 / 8] & UInt8(1 << ($0 % 8)) != 0 }
        }
    }
}

extension CPUAffinity {
    /// CPUs online now (`sysconf(_SC_NPROCESSORS_ONLN)`), at least 1.
    public static var onlineCPUCount: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}

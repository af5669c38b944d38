import CInt8Kernels

/// The instruction-set path of the int8 GEMM micro-kernels (`CInt8Kernels`), chosen at run time.
///
/// `best` is what layers use; the others exist so tests can run every path this CPU supports
/// (on an AVX512-VNNI machine: the VNNI, AVX2 and generic paths).
public enum Int8KernelPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Portable C.
    case generic
    /// x86-64 AVX2 (vpmaddubsw + vpmaddwd), weights halved to 7 bits so int16 pair sums cannot saturate.
    case avx2
    /// x86-64 AVX512-VNNI (vpdpbusd on zmm).
    case avx512VNNI = "avx512-vnni"
    /// aarch64 NEON widening multiplies (smull + sadalp).
    case neon
    /// aarch64 NEON dot product (sdot, ARMv8.2 dotprod builds).
    case neonDotProduct = "neon-dotprod"

    /// The fastest path this CPU and build support.
    public static let best = Int8KernelPath(ep_int8_best_path())

    /// Every path that can run here.
    public static var available: [Int8KernelPath] { allCases.filter(\.isAvailable) }

    /// Whether this CPU (and this build) can run the path.
    public var isAvailable: Bool { ep_int8_path_available(cValue) != 0 }

    public var description: String { rawValue }

    /// Bits the packed weights are shifted right by (1 on AVX2, else 0).
    var weightShift: Int { Int(ep_int8_weight_shift(cValue)) }

    /// What the path subtracts from each uint8 activation code (128 on NEON, else 0).
    var activationShift: Int32 { ep_int8_activation_shift(cValue) }

    /// The C enumeration value.
    var cValue: EPInt8Path {
        switch self {
        case .generic: EPInt8PathGeneric
        case .avx2: EPInt8PathAVX2
        case .avx512VNNI: EPInt8PathAVX512VNNI
        case .neon: EPInt8PathNEON
        case .neonDotProduct: EPInt8PathNEONDotProduct
        }
    }

    /// The Swift case of a C value.
    init(_ path: EPInt8Path) {
        self = Self.allCases.first { $0.cValue == path } ?? .generic
    }
}

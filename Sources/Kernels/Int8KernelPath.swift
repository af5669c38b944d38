import CInt8Kernels

/// The instruction-set path of the int8 GEMM micro-kernels (`CInt8Kernels`).
///
/// Each path is a row of the C kernel table (its functions and packing conventions), filled once
/// from the CPU's features; a layer keeps the row it was packed for and calls through it. `best`
/// is what layers use; the others exist so tests can run every path this CPU supports (on an
/// AVX512-VNNI machine: the VNNI, AVX2 and generic paths; on a Raspberry Pi 5: NEON dot product,
/// NEON and generic). Cases are declared slowest first within each architecture (`KernelPath`).
public enum Int8KernelPath: String, Sendable, CaseIterable, CustomStringConvertible, KernelPath {
    /// Portable C.
    case generic
    /// x86-64 AVX2 (vpmaddubsw + vpmaddwd), weights halved to 7 bits so int16 pair sums cannot saturate.
    case avx2
    /// x86-64 AVX512-VNNI (vpdpbusd on zmm).
    case avx512VNNI = "avx512-vnni"
    /// aarch64 NEON widening multiplies (smull + sadalp).
    case neon
    /// aarch64 NEON dot product (ARMv8.2 sdot), where the CPU reports asimddp.
    case neonDotProduct = "neon-dotprod"

    /// The fastest path this CPU runs that `EDGEPROBE_MAX_ISA` admits (chosen once).
    public static let best: Int8KernelPath = fastest(under: InstructionSetCap.current)

    /// Every path that can run here.
    public static var available: [Int8KernelPath] { allCases.filter(\.isAvailable) }

    /// Whether this CPU (and this build) can run the path.
    public var isAvailable: Bool { ep_int8_kernels(cValue) != nil }

    public var description: String { rawValue }

    /// The cap level each path needs; the portable C path runs under any cap.
    var capLevel: InstructionSetCap? {
        switch self {
        case .generic: nil
        case .avx2: .avx2
        case .avx512VNNI: .avx512
        case .neon: .neon
        case .neonDotProduct: .neonDotProduct
        }
    }

    /// The path's row of the kernel table; only for available paths.
    var kernels: UnsafePointer<EPInt8Kernels> {
        guard let row = ep_int8_kernels(cValue) else { preconditionFailure("the \(self) int8 kernels do not run on this CPU") }
        return row
    }

    /// Bits the packed weights are shifted right by (1 on AVX2, else 0).
    var weightShift: Int { Int(kernels.pointee.weight_shift) }

    /// What the path subtracts from each uint8 activation code (128 on NEON, else 0).
    var activationShift: Int32 { kernels.pointee.activation_shift }

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
}

import CFloatKernels

/// The instruction-set path of the float32 pointwise GEMM, chosen at run time.
///
/// `best` is what layers use; tests run every path this CPU supports. The Swift SIMD kernels
/// (compiled for AVX2 + FMA on x86-64, NEON on aarch64) run everywhere; the AVX512F tiles
/// (`CFloatKernels`) only where the CPU has AVX512F.
public enum FloatKernelPath: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Swift `SIMD8<Float>` kernels: 6 x 16 tiles (AVX2 + FMA on x86-64, NEON on aarch64).
    case simd
    /// x86-64 AVX512F tiles of up to 12 x 16 (C, `CFloatKernels`).
    case avx512

    /// The fastest path this CPU and build support.
    public static let best: FloatKernelPath = avx512.isAvailable ? .avx512 : .simd

    /// Every path that can run here.
    public static var available: [FloatKernelPath] { allCases.filter(\.isAvailable) }

    /// Whether this CPU (and this build) can run the path.
    public var isAvailable: Bool {
        switch self {
        case .simd: true
        case .avx512: ep_f32_avx512_available() != 0
        }
    }

    public var description: String { rawValue }

    /// Rows of C one tile of the path computes at most.
    var tileRows: Int {
        switch self {
        case .simd: GEMMMicroKernel.rows
        case .avx512: Int(EP_F32_AVX512_MAX_ROWS)
        }
    }
}

extension FloatKernelPath {
    /// The instruction set the path's kernels use on this build: `avx512f`, or for the Swift SIMD
    /// kernels the build's target (`avx2+fma` on x86-64, `neon` on aarch64).
    public var instructionSet: String {
        switch self {
        case .avx512: "avx512f"
        case .simd:
            #if arch(x86_64)
            "avx2+fma"
            #elseif arch(arm64)
            "neon"
            #else
            "scalar"
            #endif
        }
    }
}

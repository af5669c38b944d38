import Glibc

/// The highest instruction set edgeprobe's kernels may use, set by the environment variable
/// `EDGEPROBE_MAX_ISA` (like oneDNN's `ONEDNN_MAX_CPU_ISA`): a run under a cap measures the kernel
/// paths a CPU without the newer instructions would run, on this CPU.
///
/// Each kernel table applies the cap once, where it chooses its `best` path (`KernelPath`): the
/// fastest path this CPU runs among those the cap admits. Values, per architecture:
/// - x86-64: `avx512` (AVX512F float32, AVX512-VNNI int8: what an uncapped run chooses on such a
///   CPU), `avx2` (the AVX2 + FMA float32 and AVX2 int8 paths every AVX2-only CPU runs);
/// - aarch64: `neon-dotprod` (no cap below what a NEON CPU runs), `neon` (int8 without the dot
///   product, as on a Raspberry Pi 4).
/// There is no cap below the build's baseline (AVX2 + FMA on x86-64, NEON on aarch64): the
/// float32 kernels have no path without it, so a `generic` cap could not be honoured.
public enum InstructionSetCap: String, Sendable, CaseIterable, CustomStringConvertible {
    case avx512
    case avx2
    case neonDotProduct = "neon-dotprod"
    case neon

    /// The environment variable that sets the cap.
    public static let environmentVariable = "EDGEPROBE_MAX_ISA"

    /// The caps this architecture accepts, highest first.
    public static var accepted: [InstructionSetCap] {
        #if arch(x86_64)
        [.avx512, .avx2]
        #elseif arch(arm64)
        [.neonDotProduct, .neon]
        #else
        []
        #endif
    }

    /// The cap this process runs under, read from the environment once (nil: no cap). Commands
    /// that run kernels check the variable first (`fromEnvironment()`), so a bad value is a usage
    /// error before any kernel is chosen; reaching a bad value here is a programming error.
    public static let current: InstructionSetCap? = {
        do {
            return try fromEnvironment()
        } catch {
            preconditionFailure("\(error)")
        }
    }()

    /// The cap `EDGEPROBE_MAX_ISA` names in this process's environment (nil: no cap).
    /// - Throws: `InstructionSetCapError` for a value this architecture does not accept.
    public static func fromEnvironment() throws(InstructionSetCapError) -> InstructionSetCap? {
        try parse(getenv(environmentVariable).map { String(cString: $0) })
    }

    /// The cap a value of `EDGEPROBE_MAX_ISA` names: nil when unset or empty (no cap); letter
    /// case is ignored.
    /// - Throws: `InstructionSetCapError` for a value this architecture does not accept.
    public static func parse(_ value: String?) throws(InstructionSetCapError) -> InstructionSetCap? {
        guard let value, !value.isEmpty else { return nil }
        guard let cap = InstructionSetCap(rawValue: value.lowercased()), accepted.contains(cap) else {
            throw InstructionSetCapError(value: value)
        }
        return cap
    }

    /// Whether kernels that need the instruction set `level` may run under this cap: a cap admits
    /// itself and the lower levels of its architecture.
    public func admits(_ level: InstructionSetCap) -> Bool {
        switch self {
        case .avx512: level == .avx512 || level == .avx2
        case .avx2: level == .avx2
        case .neonDotProduct: level == .neonDotProduct || level == .neon
        case .neon: level == .neon
        }
    }

    public var description: String { rawValue }
}

/// A value of `EDGEPROBE_MAX_ISA` this architecture does not accept.
public struct InstructionSetCapError: Error, Equatable, CustomStringConvertible {
    /// The value as it was set.
    public let value: String

    /// One line naming the variable, the value and the accepted values.
    public var description: String {
        let accepted = InstructionSetCap.accepted.map(\.rawValue).joined(separator: ", ")
        #if arch(x86_64)
        let architecture = "x86-64"
        #elseif arch(arm64)
        let architecture = "aarch64"
        #else
        let architecture = "this architecture"
        #endif
        return "\(InstructionSetCap.environmentVariable): '\(value)' is not an instruction set edgeprobe's kernels can be "
            + "capped at on \(architecture); accepted: \(accepted.isEmpty ? "none" : accepted) (unset or empty: no cap)"
    }
}

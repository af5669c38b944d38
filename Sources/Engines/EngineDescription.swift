import Kernels
import Reports
import XNNPACKEngine

/// An engine as `run_start` names it: its version and the instruction-set paths it chose here.
public struct EngineDescription: Codable, Sendable, Equatable {
    /// `edgeprobe` or `xnnpack`.
    public let engine: String
    /// edgeprobe's version, or the Debian package XNNPACK was loaded from (e.g.
    /// `libxnnpack0 0.0~git20220216.ae108ef-2`); nil when it cannot be told.
    @Nullable public var version: String?
    /// The float32 convolution path (`avx512f`, `avx2+fma`, `neon`; XNNPACK: `avx512f`, `fma3`, `neonfma`, ...).
    public let float32Isa: String
    /// The int8 path (`avx512-vnni`, `avx2`, `neon-dotprod`, `neon`, `generic`; XNNPACK: `avx512skx`, `avx2`, ...).
    public let int8Isa: String
    /// The cap `EDGEPROBE_MAX_ISA` put on edgeprobe's paths (`avx2`, ...); nil when none (and for XNNPACK,
    /// which it does not cap).
    @Nullable public var maxIsa: String?

    /// Why a version or cap is null, keyed `engines.<engine>.version` or `.max_isa` (for `run_start`'s `unavailable`).
    public static func unavailable(_ engines: [EngineDescription]) -> [String: String] {
        engines.reduce(into: [:]) { reasons, engine in
            reasons.merge(engine.unavailable(field: "engines.\(engine.engine)")) { first, _ in first }
        }
    }

    /// The field of a record measured by one engine that holds its description (`latency`, `lut`, `lut_check`, `soak`).
    public static let recordField = "engine_description"

    /// Why this description's version or cap is null, keyed `<field>.version` or `<field>.max_isa`,
    /// where `field` is the record field holding it (for the record's `unavailable`).
    public func unavailable(field: String = recordField) -> [String: String] {
        var reasons: [String: String] = [:]
        if version == nil {
            reasons["\(field).version"] = "the loaded library belongs to no Debian package dpkg knows"
        }
        if maxIsa == nil {
            reasons["\(field).max_isa"] = engine == Engine.edgeprobe.rawValue
                ? "\(InstructionSetCap.environmentVariable) is not set: the fastest paths this CPU runs"
                : "\(InstructionSetCap.environmentVariable) caps edgeprobe's kernels only"
        }
        return reasons
    }

    /// Describes `engine` as it runs in this process (`edgeprobeVersion` names edgeprobe's build).
    public static func describe(_ engine: Engine, edgeprobeVersion: String = EdgeProbeVersion.current) -> EngineDescription {
        switch engine {
        case .edgeprobe:
            EngineDescription(engine: engine.rawValue, version: edgeprobeVersion,
                              float32Isa: float32Isa(engine), int8Isa: Int8KernelPath.best.rawValue,
                              maxIsa: InstructionSetCap.current?.rawValue)
        case .xnnpack:
            EngineDescription(engine: engine.rawValue, version: XNNPACK.packageVersion,
                              float32Isa: float32Isa(engine), int8Isa: XNNPACK.int8ISA, maxIsa: nil)
        }
    }

    /// The float32 path `engine` runs in this process (`float32_isa`).
    public static func float32Isa(_ engine: Engine) -> String {
        switch engine {
        case .edgeprobe: FloatKernelPath.best.instructionSet
        case .xnnpack: XNNPACK.float32ISA
        }
    }
}

/// edgeprobe's figure over XNNPACK's for the same work measured side by side (`--engine both`):
/// the `p50_ratio_edgeprobe_to_xnnpack` of the records; below 1 means edgeprobe's kernels are faster.
public enum EngineRatio {
    /// Why a record of a one-engine run has no ratio.
    public static let oneEngineReason = "one engine measured (--engine both gives it)"

    /// edgeprobe's `value` over XNNPACK's; nil unless both engines are among `figures` with a value.
    public static func edgeprobeToXNNPACK(_ figures: [(engine: Engine, value: Double?)]) -> Double? {
        guard let edgeprobe = figures.first(where: { $0.engine == .edgeprobe })?.value,
              let xnnpack = figures.first(where: { $0.engine == .xnnpack })?.value, xnnpack > 0 else { return nil }
        return edgeprobe / xnnpack
    }
}
